import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertWorld, alertWorld } from './test/setup.ts';

let w: AlertWorld;
beforeEach(async () => {
  w = await alertWorld();
});
afterEach(() => w.close());

const webhook = (alerts: object[]) => ({
  version: '4',
  groupKey: '{}:{alertname="HighErrorRate"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'siaga',
  groupLabels: { alertname: 'HighErrorRate' },
  commonLabels: { alertname: 'HighErrorRate' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts,
});
const amAlert = (
  status: 'firing' | 'resolved',
  labels: Record<string, string>,
  startsAt = '2026-01-05T08:58:00Z',
) => ({
  status,
  labels: { alertname: 'HighErrorRate', ...labels },
  annotations: { summary: `Error rate high on ${labels.instance ?? 'api'}` },
  startsAt,
  endsAt: status === 'resolved' ? '2026-01-05T09:10:00Z' : '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus/graph',
  fingerprint: 'abc',
});

async function incidents() {
  const r = await w.call('GET', '/api/v1/incidents?status=all');
  return r.json().incidents as {
    ref: string;
    severity: string;
    status: string;
    detected_at: string;
    services: string[];
  }[];
}

describe('alerts into incidents', () => {
  it('deduplicates by fingerprint, groups by the rule, and settles the incident when all resolve', async () => {
    const { secret } = await w.integration('alertmanager', 'prod-am');
    const url = `/intake/alertmanager/${secret}`;
    const a = amAlert('firing', { severity: 'critical', instance: 'a' });
    expect((await w.call('POST', url, webhook([a]), {})).statusCode).toBe(200);
    expect((await w.call('POST', url, webhook([a]))).statusCode).toBe(200);
    await w.clock.passMinutes(5);
    const b = amAlert('firing', { severity: 'critical', instance: 'b' }, '2026-01-05T08:50:00Z');
    expect((await w.call('POST', url, webhook([b]))).statusCode).toBe(200);

    const list = await incidents();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ severity: 'P1', status: 'investigating', services: ['api'] });
    // Detected at the earliest alert's start, not when Siaga heard of it.
    expect(list[0]!.detected_at).toBe('2026-01-05T08:50:00.000Z');

    const linked = (await w.call('GET', `/api/v1/incidents/${list[0]!.ref}/alerts`)).json().alerts;
    expect(linked).toHaveLength(2);
    const first = linked.find((x: { labels: { instance: string } }) => x.labels.instance === 'a');
    expect(first).toMatchObject({ count: 2, status: 'firing', route: 'prometheus', action: 'open' });

    await w.call('POST', url, webhook([amAlert('resolved', { severity: 'critical', instance: 'a' })]));
    expect((await incidents())[0]!.status).toBe('investigating');
    await w.call('POST', url, webhook([amAlert('resolved', { severity: 'critical', instance: 'b' })]));
    expect((await incidents())[0]!.status).toBe('monitoring');

    const timeline = (await w.call('GET', `/api/v1/incidents/${list[0]!.ref}/timeline`)).json();
    const kinds = (timeline.entries ?? timeline.timeline ?? timeline).map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'alert_fired')).toHaveLength(2);
    expect(kinds.filter((k: string) => k === 'alert_resolved')).toHaveLength(2);
  });

  it('a storm in one post opens one incident with one timeline line; every alert is linked and audited', async () => {
    const { secret } = await w.integration('alertmanager', 'storm-am');
    const url = `/intake/alertmanager/${secret}`;
    const fire = (i: number, startsAt?: string) =>
      amAlert('firing', { severity: 'critical', instance: `h${i}` }, startsAt);
    const storm = Array.from({ length: 50 }, (_, i) => fire(i, i === 7 ? '2026-01-05T08:40:00Z' : undefined));
    // The same alert twice in one post is one alert seen twice.
    expect((await w.call('POST', url, webhook([...storm, fire(3)]))).statusCode).toBe(200);
    const [inc] = await incidents();
    expect(await incidents()).toHaveLength(1);
    // The earliest signal of the post, wherever it sits in the batch, is when it was detected.
    expect(inc!.detected_at).toBe('2026-01-05T08:40:00.000Z');
    const linked = async () =>
      (await w.call('GET', `/api/v1/incidents/${inc!.ref}/alerts`)).json().alerts.length;
    expect(await linked()).toBe(50);
    const all = (await w.call('GET', `/api/v1/incidents/${inc!.ref}/alerts`)).json().alerts as {
      labels: { instance: string };
      count: number;
    }[];
    expect(all.find((a) => a.labels.instance === 'h3')!.count).toBe(2);
    type Entry = { kind: string; text: string; data: { count?: number; alert_ids?: string[] } };
    const fired = async () =>
      ((await w.call('GET', `/api/v1/incidents/${inc!.ref}/timeline`)).json().entries as Entry[]).filter(
        (e) => e.kind === 'alert_fired',
      );
    const [line] = await fired();
    expect(line!.text).toMatch(/^50 alerts fired: /);
    expect(line!.data.count).toBe(50);
    expect(new Set(line!.data.alert_ids).size).toBe(50);
    const audit = (await w.call('GET', '/api/v1/audit?limit=1000')).json().records as { action: string }[];
    expect(audit.filter((r) => r.action === 'alert.received')).toHaveLength(50);
    expect(audit.filter((r) => r.action === 'incident.alert_fired')).toHaveLength(1);

    // Every alert resolves in one post while a new one of the group fires in it: the incident
    // stays open, because the new alert is linked before the resolutions count what still fires.
    const resolveAll = storm.map((_, i) => amAlert('resolved', { severity: 'critical', instance: `h${i}` }));
    expect(
      (await w.call('POST', url, webhook([...resolveAll.slice(0, 25), fire(99), ...resolveAll.slice(25)])))
        .statusCode,
    ).toBe(200);
    expect(await linked()).toBe(51);
    expect((await incidents())[0]!.status).toBe('investigating');
    expect(await fired()).toHaveLength(2);
    await w.call('POST', url, webhook([amAlert('resolved', { severity: 'critical', instance: 'h99' })]));
    expect((await incidents())[0]!.status).toBe('monitoring');
  });

  it('posts arriving together are all stored, each answered with its own alerts, one incident for the group', async () => {
    const { secret } = await w.integration('alertmanager', 'busy-am');
    const url = `/intake/alertmanager/${secret}`;
    // Sent at once: whether they share a commit depends on timing; what is stored must not.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        w.call('POST', url, webhook([amAlert('firing', { severity: 'critical', instance: `c${i}` })])),
      ),
    );
    expect(answers.map((r) => [r.statusCode, r.json().alerts])).toEqual(
      Array.from({ length: 20 }, () => [200, 1]),
    );
    const list = await incidents();
    expect(list).toHaveLength(1);
    const linked = (await w.call('GET', `/api/v1/incidents/${list[0]!.ref}/alerts`)).json().alerts;
    expect(linked).toHaveLength(20);
    const entries = (await w.call('GET', `/api/v1/incidents/${list[0]!.ref}/timeline`)).json().entries as {
      kind: string;
      data: { count?: number };
    }[];
    const fired = entries.filter((e) => e.kind === 'alert_fired');
    expect(fired.reduce((n, e) => n + (e.data.count ?? 1), 0)).toBe(20);
  });

  it('keeps labels, annotations and the raw payload exactly as sent, on first sight and on repeats', async () => {
    // Rows travel to the database as JSON text: quoting, escapes and non-ASCII must survive.
    const nasty = [
      'say "hi"',
      'back\\slash \\n',
      'line\nbreak\ttab',
      'ünïcødé 🚨 \u2028',
      "it's {} [] ,",
      '',
    ];
    const labels = Object.fromEntries(nasty.map((v, i) => [`k${i}`, v]));
    const { secret } = await w.integration('alertmanager', 'am');
    const url = `/intake/alertmanager/${secret}`;
    const sent = (summary: string) => ({
      ...amAlert('firing', { instance: 'x', ...labels }),
      annotations: { summary },
    });
    for (const summary of nasty) {
      expect((await w.call('POST', url, webhook([sent(summary)]))).statusCode).toBe(200);
      const [stored] = (await w.call('GET', '/api/v1/alerts')).json().alerts;
      expect(stored.labels).toEqual({ alertname: 'HighErrorRate', instance: 'x', ...labels });
      expect(stored.annotations).toEqual({ summary });
      const detail = (await w.call('GET', `/api/v1/alerts/${stored.id}`)).json();
      expect(detail.raw).toEqual(sent(summary));
    }
    const [last] = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(last.count).toBe(nasty.length);
  });

  it('reopens a resolved incident when its alert fires again within the window', async () => {
    const { secret } = await w.integration('alertmanager', 'am');
    const url = `/intake/alertmanager/${secret}`;
    await w.call('POST', url, webhook([amAlert('firing', { severity: 'warning' })]));
    const [inc] = await incidents();
    expect(inc!.severity).toBe('P2');
    await w.call('POST', `/api/v1/incidents/${inc!.ref}/status`, { status: 'resolved' });
    await w.call('POST', url, webhook([amAlert('resolved', { severity: 'warning' })]));
    await w.clock.passMinutes(10);
    await w.call('POST', url, webhook([amAlert('firing', { severity: 'warning' })]));
    const after = await incidents();
    expect(after).toHaveLength(1);
    expect(after[0]!.status).toBe('investigating');
  });

  it('holds back and flags an alert that flaps', async () => {
    const { secret } = await w.integration('alertmanager', 'am');
    const url = `/intake/alertmanager/${secret}`;
    for (const status of ['firing', 'resolved', 'firing', 'resolved', 'firing'] as const)
      await w.call('POST', url, webhook([amAlert(status, { severity: 'warning' })]));
    const [alert] = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(alert).toMatchObject({ flapping: true, action: 'flapping', status: 'firing', count: 5 });
    const [inc] = await incidents();
    // The last firing was held back: the incident stays where the last resolution left it.
    expect(inc!.status).toBe('monitoring');
    expect((await w.call('GET', '/api/v1/audit?limit=200')).body).toContain('alert.flapping');
  });

  it('suppresses matching alerts during a silence, still storing them, and names the field of a bad one', async () => {
    const bad = await w.call('POST', '/api/v1/silences', {
      matchers: { alertname: { regex: '(' } },
      ends_at: '2026-01-05T10:00:00Z',
      reason: 'db upgrade',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('matchers.alertname');
    const s = await w.call('POST', '/api/v1/silences', {
      matchers: { alertname: 'HighErrorRate' },
      ends_at: '2026-01-05T10:00:00Z',
      reason: 'db upgrade',
      kind: 'maintenance',
    });
    expect(s.statusCode).toBe(201);
    expect(s.json()).toMatchObject({ state: 'active', kind: 'maintenance' });
    const { secret } = await w.integration('alertmanager', 'am');
    await w.call(
      'POST',
      `/intake/alertmanager/${secret}`,
      webhook([amAlert('firing', { severity: 'critical' })]),
    );
    expect(await incidents()).toHaveLength(0);
    const [alert] = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(alert).toMatchObject({ suppressed: true, action: 'suppressed' });
    await w.call('POST', `/api/v1/silences/${s.json().id}/expire`, {});
    await w.call(
      'POST',
      `/intake/alertmanager/${secret}`,
      webhook([amAlert('firing', { severity: 'critical', instance: 'c' })]),
    );
    expect(await incidents()).toHaveLength(1);
  });

  it('drops and notifies by rule, and says when nobody was notified', async () => {
    const { secret } = await w.integration('alertmanager', 'am');
    const url = `/intake/alertmanager/${secret}`;
    await w.call(
      'POST',
      url,
      webhook([
        amAlert('firing', { team: 'noise' }),
        { ...amAlert('firing', {}), labels: { severity: 'info', x: '1' } },
      ]),
    );
    expect(await incidents()).toHaveLength(0);
    const alerts = (await w.call('GET', '/api/v1/alerts')).json().alerts as { action: string }[];
    expect(alerts.map((a) => a.action).sort()).toEqual(['drop', 'notify_skipped']);
    const audit = (await w.call('GET', '/api/v1/audit?limit=200')).body;
    expect(audit).toContain('alert.not_notified');
    expect(audit).toContain('no notifier is configured');
  });

  it('raises alerts from Siaga’s own sources through the AlertSink port', async () => {
    const { runVerb, SYSTEM_ACTOR } = await import('../kernel/verb.ts');
    await runVerb(w.env, { workspaceId: w.workspaceId, actor: SYSTEM_ACTOR }, (ctx) =>
      w.env.alerts!.raise(ctx, [
        {
          source: 'monitor:checkout',
          fingerprint: 'checkout-down',
          status: 'firing',
          title: 'Checkout is down',
          labels: { severity: 'critical', alertname: 'CheckoutDown' },
          startsAt: w.clock.now(),
        },
      ]),
    );
    const [inc] = await incidents();
    expect(inc).toMatchObject({ severity: 'P1', services: ['api'] });
  });
});

describe('intake refuses bad requests and stores nothing', () => {
  it('404s unknown and disabled secrets alike, 400s malformed alerts naming the field', async () => {
    const { secret } = await w.integration('alertmanager', 'am');
    const unknown = await w.call('POST', `/intake/alertmanager/${'0'.repeat(32)}`, webhook([]));
    expect(unknown.statusCode).toBe(404);
    const bad = await w.call(
      'POST',
      `/intake/alertmanager/${secret}`,
      webhook([{ ...amAlert('firing', {}), status: 'burning' }]),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors[0].field).toBe('alerts[0].status');
    const half = await w.call(
      'POST',
      `/intake/alertmanager/${secret}`,
      webhook([amAlert('firing', { severity: 'critical' }), { ...amAlert('firing', {}), labels: { a: 1 } }]),
    );
    expect(half.statusCode).toBe(400);
    expect((await w.call('GET', '/api/v1/alerts')).json().alerts).toHaveLength(0);
    await w.call('POST', '/api/v1/integrations/am/disable', {});
    const disabled = await w.call('POST', `/intake/alertmanager/${secret}`, webhook([amAlert('firing', {})]));
    expect(disabled.statusCode).toBe(404);
    const strip = (b: string) => ({ ...JSON.parse(b), request_id: null, instance: null });
    expect(strip(disabled.body)).toEqual(strip(unknown.body));
  });

  it('rotating a secret retires the old one at once', async () => {
    const { secret } = await w.integration('alertmanager', 'am');
    const rotated = (await w.call('POST', '/api/v1/integrations/am/rotate', {})).json();
    expect(rotated.secret).not.toBe(secret);
    expect(
      (await w.call('POST', `/intake/alertmanager/${secret}`, webhook([amAlert('firing', {})]))).statusCode,
    ).toBe(404);
    expect(
      (await w.call('POST', `/intake/alertmanager/${rotated.secret}`, webhook([amAlert('firing', {})])))
        .statusCode,
    ).toBe(200);
    const list = (await w.call('GET', '/api/v1/integrations')).json().integrations;
    expect(list).toEqual([expect.objectContaining({ name: 'am', secret_hint: rotated.secret.slice(-4) })]);
    expect(JSON.stringify(list)).not.toContain(rotated.secret);
  });
});
