import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackend } from '../../test/support/db.ts';
import { EXPRESS_BEHIND } from './intake-store.ts';
import { type AlertWorld, alertWorld } from './test/setup.ts';

let w: AlertWorld;
beforeEach(async () => {
  w = await alertWorld({ start: '2026-01-05T09:00:00Z' });
});
afterEach(() => w.close());

const fires = (alertname: string, instance = 'db-1') => [
  {
    labels: { alertname, instance, severity: 'critical' },
    annotations: { summary: `${alertname} on ${instance}` },
  },
];
/** A post big enough that the bulk lane holding it lets small posts take the express lane. */
const storm = (alertname: string) =>
  Array.from({ length: EXPRESS_BEHIND }, (_, i) => fires(alertname, `db-${i + 1}`)[0]!);
const resolves = (alertname: string, instance = 'db-1') => [
  { labels: { alertname, instance, severity: 'critical' }, endsAt: '2026-01-05T08:59:00Z' },
];

/**
 * Holds the lock an ingest round takes on an alert group (see route-incident.ts), on a
 * connection of its own, so that group's round stays in flight until the test lets it go.
 */
async function holdGroup(alertname: string, group = `prometheus|alertname=${alertname}`) {
  const c = new pg.Client({ connectionString: w.database.url });
  await c.connect();
  await c.query('BEGIN');
  await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${w.workspaceId}|${group}`]);
  return async () => {
    await c.query('COMMIT');
    await c.end();
  };
}

/** Waits until `n` sessions of this database wait on a lock: the rounds the test holds. */
async function roundsWaiting(n: number) {
  const c = new pg.Client({ connectionString: w.database.url });
  await c.connect();
  try {
    for (;;) {
      const r = await c.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (r.rows[0].n >= n) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await c.end();
  }
}

const within = <T>(p: Promise<T>, ms = 10_000) =>
  Promise.race([
    p.then(() => 'answered'),
    new Promise((r) => setTimeout(() => r(`still waiting after ${ms} ms`), ms)),
  ]);

// The rounds are held open by locks taken from a second connection; the embedded database has
// one connection, so there a round cannot be held open from outside.
describe.runIf(testBackend() === 'postgres')('the express lane', () => {
  it('stores a new alert while the integration’s bulk round is still in flight', async () => {
    const { secret } = await w.integration('alertmanager', 'prom');
    const url = `/intake/alertmanager/${secret}/api/v2/alerts`;
    const letGo = await holdGroup('DiskFull');
    const big = w.call('POST', url, storm('DiskFull'));
    await roundsWaiting(1);
    // Without the express lane this post queues behind the held round and is never answered.
    const fresh = w.call('POST', url, fires('ApiDown', 'api-1'));
    const answered = await within(fresh);
    await letGo();
    expect(answered).toBe('answered');
    expect((await fresh).statusCode).toBe(200);
    expect((await big).statusCode).toBe(200);
    const incidents = (await w.call('GET', '/api/v1/incidents')).json().incidents as { title: string }[];
    expect(incidents.map((i) => i.title).sort()).toEqual(['ApiDown on api-1', 'DiskFull on db-1']);
  });

  it('keeps each alert’s sightings in order: a post touching an alert the express lane holds goes after it', async () => {
    const { secret } = await w.integration('alertmanager', 'prom');
    const url = `/intake/alertmanager/${secret}/api/v2/alerts`;
    const letStormGo = await holdGroup('DiskFull');
    const letFreshGo = await holdGroup('ApiDown');
    const big = w.call('POST', url, storm('DiskFull'));
    await roundsWaiting(1);
    const fresh = w.call('POST', url, fires('ApiDown', 'api-1')); // the express lane, held
    await roundsWaiting(2);
    const resolution = w.call('POST', url, resolves('ApiDown', 'api-1')); // must wait for it
    const later = w.call('POST', url, fires('DiskFull', 'db-2')); // and the bulk lane behind it
    // The bulk lane is let go first: a resolution that did not wait would now be stored before
    // the alert it resolves had fired.
    await letStormGo();
    await big;
    await new Promise((r) => setTimeout(r, 200));
    await letFreshGo();
    for (const p of [fresh, resolution, later]) expect((await p).statusCode).toBe(200);
    const alerts = (await w.call('GET', '/api/v1/alerts?limit=200')).json().alerts as {
      labels: { alertname: string; instance: string };
      status: string;
      count: number;
    }[];
    const api = alerts.find((a) => a.labels.alertname === 'ApiDown')!;
    expect(api).toMatchObject({ status: 'resolved', count: 2 });
    expect(alerts.filter((a) => a.labels.alertname === 'DiskFull')).toHaveLength(EXPRESS_BEHIND);
    const audit = (await w.call('GET', '/api/v1/audit?limit=100')).json().records as {
      action: string;
      subject_id: string;
    }[];
    const apiId = (api as unknown as { id: string }).id;
    // Newest first: it was received firing, then resolved.
    expect(audit.filter((r) => r.subject_id === apiId).map((r) => r.action)).toEqual([
      'alert.resolved',
      'alert.received',
    ]);
  });

  it('is not taken behind a small round: the post waits for it and is stored in the next', async () => {
    const { secret } = await w.integration('alertmanager', 'prom');
    const url = `/intake/alertmanager/${secret}/api/v2/alerts`;
    const letGo = await holdGroup('DiskFull');
    const small = w.call('POST', url, fires('DiskFull'));
    await roundsWaiting(1);
    const fresh = w.call('POST', url, fires('ApiDown', 'api-1'));
    expect(await within(fresh, 300)).toBe('still waiting after 300 ms');
    await letGo();
    expect((await small).statusCode).toBe(200);
    expect((await fresh).statusCode).toBe(200);
    const incidents = (await w.call('GET', '/api/v1/incidents')).json().incidents as { title: string }[];
    expect(incidents).toHaveLength(2);
  });

  it('applies a PagerDuty acknowledge after the trigger of its alert that came before it', async () => {
    const { secret } = await w.integration('pagerduty', 'pd');
    const url = '/intake/pagerduty/v2/enqueue';
    // An alert without group_by is its own group (route-incident.ts): hold that group's lock.
    const letGo = await holdGroup('', 'fp:integration:pd:pd:db-1/disk');
    const trigger = w.call('POST', url, {
      routing_key: secret,
      event_action: 'trigger',
      dedup_key: 'db-1/disk',
      payload: { summary: 'Disk full on db-1', source: 'db-1', severity: 'critical' },
    });
    await roundsWaiting(1);
    const ack = w.call('POST', url, {
      routing_key: secret,
      event_action: 'acknowledge',
      dedup_key: 'db-1/disk',
    });
    // An acknowledge that did not wait would find no alert now, and be lost.
    await new Promise((r) => setTimeout(r, 200));
    await letGo();
    expect((await trigger).statusCode).toBe(202);
    expect((await ack).statusCode).toBe(202);
    const [inc] = (await w.call('GET', '/api/v1/incidents')).json().incidents as { ref: string }[];
    expect((await w.call('GET', `/api/v1/incidents/${inc!.ref}`)).json().acknowledged_at).not.toBeNull();
  });
});
