import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackend } from '../../test/support/db.ts';
import { resultRows } from '../db/result-rows.ts';
import { type Ctx, runVerb } from '../kernel/verb.ts';
import { ingestAlerts } from './ingest.ts';
import { FLUSH_MS, writeRepeats } from './repeats.ts';
import { parseV2Alerts } from './sources/alertmanager.ts';
import { type AlertWorld, alertWorld } from './test/setup.ts';

let w: AlertWorld;
beforeEach(async () => {
  w = await alertWorld({ start: '2026-01-05T09:00:00Z' });
});
afterEach(() => w.close());

const labels = { alertname: 'DiskFull', severity: 'critical', instance: 'db-1' };
const body = [{ labels, annotations: { summary: 'Disk full on db-1' } }];

type View = { count: number; status: string; last_seen_at: string; suppressed: boolean; action: string };
const alertsNow = async (): Promise<View[]> => (await w.call('GET', '/api/v1/alerts')).json().alerts;
const storedCount = async () => {
  const r = await w.database.db.execute(sql`SELECT count FROM alerts`);
  return resultRows<{ count: number }>(r).map((x) => Number(x.count));
};

async function intake() {
  const { secret } = await w.integration('alertmanager', 'prom');
  const url = `/intake/alertmanager/${secret}/api/v2/alerts`;
  return async (b: unknown = body) => {
    const r = await w.call('POST', url, b);
    expect(r.statusCode).toBe(200);
  };
}

describe('unchanged repeats answered from memory', () => {
  it('are counted and their last sighting kept, written before this process reads alerts', async () => {
    const post = await intake();
    await post();
    for (let i = 0; i < 3; i++) {
      await w.clock.pass(15_000);
      await post();
    }
    // The repeats did not rewrite the row before they were answered...
    expect(await storedCount()).toEqual([1]);
    // ...and a read through the API writes them first.
    const [a] = await alertsNow();
    expect(a).toMatchObject({ count: 4, status: 'firing', action: 'open' });
    expect(a!.last_seen_at).toBe('2026-01-05T09:00:45.000Z');
    expect(await storedCount()).toEqual([4]);
  });

  it('a change in between goes the full way: a changed annotation is stored at once', async () => {
    const post = await intake();
    await post();
    await post([{ labels, annotations: { summary: 'Disk 99% full on db-1' } }]);
    expect(await storedCount()).toEqual([2]);
    const [a] = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(a.annotations).toEqual({ summary: 'Disk 99% full on db-1' });
  });

  it('a silence created after the alert was first seen holds its next repeat at once', async () => {
    const post = await intake();
    await post();
    const s = await w.call('POST', '/api/v1/silences', {
      matchers: { alertname: 'DiskFull' },
      ends_at: '2026-01-05T12:00:00Z',
      reason: 'resizing the volume',
    });
    expect(s.statusCode).toBe(201);
    await post();
    const [a] = await alertsNow();
    expect(a).toMatchObject({ count: 2, suppressed: true, action: 'suppressed' });
  });

  it('a row another process changed meanwhile is re-ingested: a repeat after its resolution re-fires it', async () => {
    const post = await intake();
    await post();
    // Another process (it does not share this one's memory) stores the alert's resolution.
    const [resolved] = parseV2Alerts(
      [{ labels, endsAt: '2026-01-05T09:00:30Z' }],
      new Date('2026-01-05T09:01:00Z'),
      'integration:prom',
    );
    await w.clock.pass(60_000);
    await runVerb(w.env, w.admin.scope, (ctx) => ingestAlerts(ctx, [resolved!]));
    expect((await alertsNow())[0]!.status).toBe('resolved');
    // This process still remembers it firing, answers the repeat, and finds out when writing it.
    await w.clock.pass(15_000);
    await post();
    const [a] = await alertsNow();
    expect(a).toMatchObject({ status: 'firing', count: 3 });
    const audit = (await w.call('GET', '/api/v1/audit?limit=100')).body;
    expect(audit).toContain('alert.firing');
  });
});

describe('a post of a few alerts', () => {
  it('writes its own alerts’ noted repeats before changing them: a resolution after a repeat stays resolved', async () => {
    const post = await intake();
    await post();
    await w.clock.pass(15_000);
    await post(); // noted, not yet written
    await post([{ labels: { ...labels, instance: 'db-2' }, annotations: { summary: 'Disk full on db-2' } }]);
    await w.clock.pass(15_000);
    await post([{ labels, endsAt: '2026-01-05T09:00:29Z' }]);
    // The write-behind (here, the read's) found nothing of db-1 left to write over its resolution.
    const list = (await alertsNow()) as (View & { labels: { instance: string } })[];
    const db1 = list.find((a) => a.labels.instance === 'db-1');
    expect(db1).toMatchObject({ status: 'resolved', count: 3 });
  });
});

describe('the alert list', () => {
  it('is newest first by when each alert was first seen, however recently an older one repeated', async () => {
    const post = await intake();
    await post();
    await w.clock.pass(15_000);
    await post([{ labels: { ...labels, instance: 'db-2' }, annotations: { summary: 'Disk full on db-2' } }]);
    await w.clock.pass(15_000);
    await post(); // db-1 seen again, after db-2
    const list = (await w.call('GET', '/api/v1/alerts')).json().alerts as {
      labels: { instance: string };
      count: number;
    }[];
    expect(list.map((a) => [a.labels.instance, a.count])).toEqual([
      ['db-2', 1],
      ['db-1', 2],
    ]);
  });
});

type Counts = { updated: number | string; hot: number | string };

describe('the write-behind', () => {
  it('updates rows in place: no index holds what a repeat changes, so no index entry is written', async () => {
    const post = await intake();
    const many = Array.from({ length: 40 }, (_, i) => ({
      labels: { ...labels, instance: `db-${i}` },
      annotations: { summary: `Disk full on db-${i}` },
    }));
    await post(many);
    const ids = ((await w.call('GET', '/api/v1/alerts?limit=100')).json().alerts as { id: string }[]).map(
      (a) => a.id,
    );
    expect(ids).toHaveLength(40);
    // The first writes after the rows were stored fit what the pages' free space holds; once the
    // versions they replaced are pruned, every write reuses that space, as under a storm.
    const counters = async (ctx: Ctx) => {
      const r = await ctx.tx.execute(
        sql`SELECT pg_stat_get_xact_tuples_updated('alerts'::regclass) AS updated,
          pg_stat_get_xact_tuples_hot_updated('alerts'::regclass) AS hot`,
      );
      const c = resultRows<Counts>(r)[0]!;
      return { updated: Number(c.updated), hot: Number(c.hot) };
    };
    const write = (second: number) =>
      runVerb(w.env, w.admin.scope, async (ctx) => {
        const seen = new Date(`2026-01-05T09:00:${second}Z`);
        const taken = ids.map((id, i) => ({
          id,
          count: 1,
          lastSeen: seen,
          alert: many[i] as never,
          since: 0,
        }));
        const before = await counters(ctx);
        expect(await writeRepeats(ctx, taken)).toEqual([]);
        const after = await counters(ctx);
        return { updated: after.updated - before.updated, hot: after.hot - before.hot };
      });
    const writes = [];
    for (const second of [20, 22, 24, 26, 28, 30]) writes.push(await write(second));
    // With last_seen_at in an index, none of these was heap-only.
    expect(writes[0]!.hot).toBeGreaterThan(0);
    expect(writes.slice(-2)).toEqual([
      { updated: 40, hot: 40 },
      { updated: 40, hot: 40 },
    ]);
    const counted = (await alertsNow()).filter((x) => x.count === 7);
    expect(counted).toHaveLength(40);
    expect(counted[0]!.last_seen_at).toBe('2026-01-05T09:00:30.000Z');
  });
});

// A second connection holds the row lock that keeps the write-behind in flight; the embedded
// database has one connection, so there the write-behind cannot be held open from outside.
describe.runIf(testBackend() === 'postgres')('a post of repeats while the write-behind is in flight', () => {
  it('is answered without waiting for it, and its sighting is counted by the next write', async () => {
    const post = await intake();
    await post();
    await w.clock.pass(15_000);
    await post(); // noted in memory
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const blocker = w.database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT id FROM alerts FOR UPDATE`);
      locked();
      await held;
    });
    await isLocked;
    // A read writes the noted repeat first; that write now waits for the lock.
    const reading = w.call('GET', '/api/v1/alerts');
    const waits = async () => {
      const r = await w.database.db.execute(
        sql`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return resultRows<{ n: number }>(r)[0]!.n;
    };
    while ((await waits()) === 0) await new Promise((r) => setTimeout(r, 10));
    const answeredSoon = () =>
      Promise.race([
        post().then(() => 'answered'),
        new Promise((r) => setTimeout(() => r('still waiting after 10 s'), 10_000)),
      ]);
    await w.clock.pass(15_000);
    // Without the early answer this post would queue behind the held write and never return.
    const answered = await answeredSoon();
    // Its sighting is now due to be written (FLUSH_MS of wall time), and the write-behind timer
    // ticks while the held round is in flight; the timer's round must not queue behind it and
    // hold up the posts after it.
    await new Promise((r) => setTimeout(r, FLUSH_MS + 500));
    await w.clock.pass(15_000);
    const answeredAfterTimer = await answeredSoon();
    release();
    await blocker;
    expect(answered).toBe('answered');
    expect(answeredAfterTimer).toBe('answered');
    expect((await reading).json().alerts[0].count).toBe(2);
    const [a] = await alertsNow();
    expect(a).toMatchObject({ count: 4, last_seen_at: '2026-01-05T09:00:45.000Z' });
  });
});
