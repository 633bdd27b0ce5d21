import { request } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertWorld, alertWorld } from './test/setup.ts';

/**
 * The JSON intake endpoints are answered by a front door on the HTTP server
 * (json-door.ts) as well as by their Fastify routes, which app.inject reaches. A client must
 * not be able to tell them apart: each case here goes both ways and the answers are compared.
 */
let w: AlertWorld;
let base: string;
const logLines: string[] = [];
async function world(limits: NodeJS.ProcessEnv = {}) {
  logLines.length = 0;
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  w = await alertWorld({
    start: '2026-01-05T09:00:00Z',
    environment: { SIAGA_ALERTS_BODY_LIMIT: '4096', ...limits },
    log: pino({ level: 'info' }, sink),
  });
  base = await w.app.listen({ port: 0, host: '127.0.0.1' });
}
beforeEach(() => world());
afterEach(() => w.close());

type Seen = { status: number; headers: Record<string, string | undefined>; body: string };

/** A real socket: what the door answers (or Fastify, for what the door passes on). */
function viaSocket(path: string, body: string, headers: Record<string, string>): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers as Seen['headers'], body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function viaInject(path: string, body: string, headers: Record<string, string>): Promise<Seen> {
  const r = await w.app.inject({ method: 'POST', url: path, headers, payload: body });
  return { status: r.statusCode, headers: r.headers as Seen['headers'], body: r.body };
}

/** What a client can tell of an answer. */
const seen = (s: Seen) => ({
  status: s.status,
  type: s.headers['content-type'],
  retryAfter: s.headers['retry-after'],
  closes: s.headers.connection === 'close',
  requestId: s.headers['x-request-id'],
  body: s.body === '' ? '' : JSON.parse(s.body),
});

async function both(path: string, body: string, headers: Record<string, string> = {}) {
  const h = { 'content-type': 'application/json', 'x-request-id': 'req-parity', ...headers };
  const before = logLines.length;
  const door = seen(await viaSocket(path, body, h));
  // The door's log line names the route; Fastify's name the URL.
  const byDoor = logLines.slice(before).some((l) => l.includes('"req":{"method":"POST","route"'));
  const fastify = seen(await viaInject(path, body, h));
  return { door, fastify, byDoor };
}

const firing = JSON.stringify([
  {
    labels: { alertname: 'DiskFull', instance: 'db-1', severity: 'critical' },
    annotations: { summary: 'Disk full' },
  },
]);
const webhook = JSON.stringify({
  version: '4',
  status: 'firing',
  alerts: [{ status: 'firing', labels: { alertname: 'DiskFull', instance: 'db-2' }, annotations: {} }],
});

// A tool's own JSON, read by the integration's mapping.
const job = JSON.stringify({
  job: { title: 'Nightly reconciliation failed', name: 'recon', result: 'failure' },
});
const jobMapping = {
  title: '$.job.title',
  status: '$.job.result',
  resolved_values: ['ok'],
  labels: { job: '$.job.name' },
};
// Sentry's issue-alert webhook: what it carries is named by a header.
const sentryEvent = JSON.stringify({
  action: 'triggered',
  actor: { id: 'sentry', name: 'Sentry', type: 'application' },
  data: {
    event: {
      event_id: 'ec5e1aa7aa6a4dd4b4e3f8b6f8b2f0a1',
      issue_id: '1117540176',
      level: 'error',
      title: 'TypeError: amount of undefined',
      datetime: '2026-01-05T08:50:00.123000Z',
      web_url:
        'https://sentry.io/organizations/acme/issues/1117540176/events/ec5e1aa7aa6a4dd4b4e3f8b6f8b2f0a1/',
    },
    triggered_rule: 'Checkout errors',
  },
});

// PagerDuty's Events API v2: the routing key is the integration's secret.
const pdTrigger = (routingKey: string) =>
  JSON.stringify({
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: 'checkout-5xx',
    payload: { summary: 'Checkout 5xx over 2%', source: 'lb-1', severity: 'critical' },
  });

describe('the intake door answers as the Fastify routes do', () => {
  it('accepts alerts on every path and secret form, and stores them', async () => {
    const am = await w.integration('alertmanager', 'prom');
    const grafana = await w.integration('grafana', 'graf');
    const sentry = await w.integration('sentry', 'sen');
    const pd = await w.integration('pagerduty', 'pd');
    const hook = await w.call('POST', '/api/v1/integrations', {
      type: 'webhook',
      name: 'cron',
      mapping: jobMapping,
    });
    const cases: [string, string, Record<string, string>?][] = [
      [`/intake/alertmanager/${am.secret}/api/v2/alerts`, firing],
      ['/intake/alertmanager/api/v2/alerts', firing, { authorization: `Bearer ${am.secret}` }],
      [`/intake/alertmanager/${am.secret}`, webhook],
      ['/intake/alertmanager', webhook, { authorization: `Bearer ${am.secret}` }],
      [`/intake/grafana/${grafana.secret}/`, webhook.replace('"4"', '"1"')],
      [`/intake/webhook/${hook.json().secret}`, job],
      [`/intake/sentry/${sentry.secret}`, sentryEvent, { 'sentry-hook-resource': 'event_alert' }],
      ['/intake/pagerduty/v2/enqueue', pdTrigger(pd.secret)],
    ];
    for (const [path, body, headers] of cases) {
      const { door, fastify, byDoor } = await both(path, body, headers);
      expect(door, path).toEqual(fastify);
      expect(door.status, path).toBe(path.includes('pagerduty') ? 202 : 200);
      expect(byDoor, path).toBe(true);
    }
    const alerts = (await w.call('GET', '/api/v1/alerts')).json().alerts as { count: number }[];
    expect(alerts.map((a) => a.count).sort()).toEqual([2, 2, 2, 2, 4, 4]);
  });

  it('refuses the same way: unknown secrets, bad alerts, bad JSON, big bodies, poisoned keys', async () => {
    const am = await w.integration('alertmanager', 'prom');
    const v2 = `/intake/alertmanager/${am.secret}/api/v2/alerts`;
    const hook = await w.call('POST', '/api/v1/integrations', {
      type: 'webhook',
      name: 'cron',
      mapping: jobMapping,
    });
    const pd = await w.integration('pagerduty', 'pd');
    const pdPath = '/intake/pagerduty/v2/enqueue';
    const cases: [string, string, number, Record<string, string>?][] = [
      ['/intake/alertmanager/not-a-secret/api/v2/alerts', firing, 404],
      [v2, JSON.stringify([{ annotations: {} }]), 400],
      [v2, '[{"labels": ', 400],
      [v2, '', 400],
      [v2, '[{"labels": {"a": "b"}, "__proto__": {"x": 1}}]', 400],
      [v2, JSON.stringify([{ labels: { a: 'x'.repeat(5000) } }]), 413],
      [`/intake/alertmanager/${am.secret}`, JSON.stringify({ version: '3', alerts: [] }), 400],
      [v2, 'labels=a', 415, { 'content-type': 'application/x-www-form-urlencoded' }],
      ['/intake/alertmanager/api/v2/alerts', firing, 404, { authorization: 'Basic abc' }],
      [`/intake/webhook/${hook.json().secret}`, JSON.stringify({ job: { name: 'recon' } }), 400],
      ['/intake/webhook/not-a-secret', job, 404],
      ['/intake/sentry/not-a-secret', sentryEvent, 404, { 'sentry-hook-resource': 'event_alert' }],
      // PagerDuty's own shapes: its JSON for a bad event or bad JSON, a problem for an unknown key.
      [pdPath, JSON.stringify({ routing_key: pd.secret, event_action: 'trigger' }), 400],
      [pdPath, '{"routing_key": ', 400],
      [pdPath, JSON.stringify({ routing_key: 'short', event_action: 'trigger' }), 400],
      [pdPath, pdTrigger('f'.repeat(32)), 404],
    ];
    for (const [path, body, status, headers] of cases) {
      const { door, fastify, byDoor } = await both(path, body, headers);
      expect(door, `${path} ${body.slice(0, 40)}`).toEqual(fastify);
      expect(door.status, `${path} ${body.slice(0, 40)}`).toBe(status);
      // Another content type goes on to Fastify, which says what it accepts.
      expect(byDoor, `${path} ${body.slice(0, 40)}`).toBe(status !== 415);
    }
    expect((await w.call('GET', '/api/v1/alerts')).json().alerts).toEqual([]);
  });

  it('429s a sender over its rate with Retry-After, on either path', async () => {
    await w.close();
    await world({ SIAGA_ALERTS_RATE: '1', SIAGA_ALERTS_BURST: '3' });
    const a = await w.integration('alertmanager', 'a');
    const b = await w.integration('alertmanager', 'b');
    const h = { 'content-type': 'application/json', 'x-request-id': 'req-rate' };
    const overRate = async (send: typeof viaSocket, secret: string) => {
      let last: Seen | undefined;
      for (let i = 0; i < 4; i++)
        last = await send(`/intake/alertmanager/${secret}/api/v2/alerts`, firing, h);
      return seen(last!);
    };
    const door = await overRate(viaSocket, a.secret);
    const fastify = await overRate(viaInject, b.secret);
    expect(door.status).toBe(429);
    expect(door.retryAfter).toBeDefined();
    expect({ ...door, body: { ...door.body, instance: '' } }).toEqual({
      ...fastify,
      body: { ...fastify.body, instance: '' },
    });
    // PagerDuty's 429 is its own: an empty body, as its clients expect.
    const pdOverRate = async (send: typeof viaSocket, secret: string) => {
      let last: Seen | undefined;
      for (let i = 0; i < 4; i++) last = await send('/intake/pagerduty/v2/enqueue', pdTrigger(secret), h);
      return seen(last!);
    };
    const pdDoor = await pdOverRate(viaSocket, (await w.integration('pagerduty', 'c')).secret);
    const pdFastify = await pdOverRate(viaInject, (await w.integration('pagerduty', 'd')).secret);
    expect(pdDoor).toMatchObject({ status: 429, body: '', type: 'text/plain' });
    expect(pdDoor.retryAfter).toBeDefined();
    expect(pdDoor).toEqual(pdFastify);
  });

  it('counts door requests in /metrics by route, and never logs a secret', async () => {
    const am = await w.integration('alertmanager', 'prom');
    await viaSocket(`/intake/alertmanager/${am.secret}/api/v2/alerts`, firing, {
      'content-type': 'application/json',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    await viaInject(`/intake/alertmanager/${am.secret}/api/v2/alerts`, firing, {
      'content-type': 'application/json',
    });
    const metrics = (await w.call('GET', '/metrics')).body;
    expect(metrics).toMatch(
      /siaga_http_requests_total\{method="POST",route="\/intake\/alertmanager\/:secret\/api\/v2\/alerts",status="200"\} 2/,
    );
    const logged = logLines.join('');
    expect(logged).toContain('"route":"/intake/alertmanager/:secret/api/v2/alerts"');
    expect(logged).toContain('"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"');
    expect(logged).toContain('"url":"/intake/alertmanager/:secret/api/v2/alerts"');
    expect(logged).not.toContain(am.secret);
  });
});
