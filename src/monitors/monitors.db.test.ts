import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Api, apiFor } from '../../test/support/http.ts';
import { createScenario, type Scenario } from '../../test/support/scenario.ts';
import type { RaisedAlert } from '../kernel/ports.ts';
import type { SiagaModule } from '../server/modules.ts';
import { monitorsModule } from './module.ts';

/** Stands in for the alerts module: records what a monitor raises. */
const raised: RaisedAlert[] = [];
const recorder: SiagaModule = {
  name: 'alerts-recorder',
  provide(env) {
    env.alerts = { raise: async (_ctx, alerts) => void raised.push(...alerts) };
  },
};

let s: Scenario;
let api: Api;
let target: Server;
let healthy = false;
const agents: string[] = [];

beforeEach(async () => {
  raised.length = 0;
  agents.length = 0;
  healthy = false;
  target = createServer((req, res) => {
    agents.push(String(req.headers['user-agent']));
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' }).end(healthy ? 'status: OK' : 'down');
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const mod = monitorsModule();
  s = await createScenario({ modules: [recorder, mod] });
  api = await apiFor(s as never, { plugins: [(a, e) => mod.routes!(a, e)] });
});
afterEach(async () => {
  await s.close();
  await new Promise((r) => target.close(r));
});

const url = () => `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;

/** One minute at a time, waiting until that minute's check is recorded. */
async function minutes(n: number, key = 'web') {
  for (let i = 0; i < n; i++) {
    const before = (JSON.parse((await api.call('GET', `/api/v1/monitors/${key}`)).body).results as unknown[])
      .length;
    await s.clock.passMinutes(1);
    for (let tries = 0; tries < 200; tries++) {
      const now = (JSON.parse((await api.call('GET', `/api/v1/monitors/${key}`)).body).results as unknown[])
        .length;
      if (now > before) break;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('synthetic monitors', () => {
  it('validate their input by field', async () => {
    const r = await api.call('PUT', '/api/v1/monitors/web', {
      key: 'web',
      name: 'Web',
      kind: 'http',
      url: 'ftp://x',
      timeout_ms: 5,
    });
    expect(r.statusCode).toBe(400);
    const fields = JSON.parse(r.body)
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['timeout_ms', 'url']);
    const tcp = await api.call('PUT', '/api/v1/monitors/db', {
      key: 'db',
      name: 'DB',
      kind: 'tcp',
      target: 'db:99999',
    });
    expect(JSON.parse(tcp.body).errors[0].field).toBe('target');
    expect(JSON.parse((await api.call('GET', '/api/v1/monitors')).body).monitors).toEqual([]);
  });

  it('raise an alert after more than ten minutes down and resolve it on recovery', async () => {
    const r = await api.call('PUT', '/api/v1/monitors/web', {
      key: 'web',
      name: 'Checkout health',
      kind: 'http',
      url: url(),
      keyword: 'OK',
      interval_seconds: 60,
      down_after_seconds: 600,
    });
    expect(r.statusCode, r.body).toBe(201);
    // The first check runs at once; then one a minute.
    await s.clock.pass(2000);
    for (
      let i = 0;
      i < 200 && JSON.parse((await api.call('GET', '/api/v1/monitors/web')).body).results.length === 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 25));
    // Checks land up to a poll interval after their due time, so "ten checks later" may already
    // be a little more than ten minutes: nine minutes down is certainly not enough, eleven is.
    await minutes(9);
    expect(raised).toEqual([]);
    await minutes(2);
    expect(raised.map((a) => [a.status, a.source, a.labels.monitor])).toEqual([
      ['firing', 'monitor:web', 'web'],
    ]);
    expect(raised[0]!.annotations?.error).toContain('HTTP 503');
    healthy = true;
    await minutes(1);
    expect(raised.map((a) => a.status)).toEqual(['firing', 'resolved']);
    expect(agents.every((a) => a.startsWith('Siaga-Monitor/0.1'))).toBe(true);
    const m = JSON.parse((await api.call('GET', '/api/v1/monitors/web')).body);
    expect(m.state).toBe('up');
    expect(m.results[0].ok).toBe(true);
    expect(m.results[1].error).toContain('503');
  });

  it('push monitors go down without heartbeats', async () => {
    const r = await api.call('PUT', '/api/v1/monitors/cron', {
      key: 'cron',
      name: 'Nightly job',
      kind: 'push',
      interval_seconds: 60,
      down_after_seconds: 0,
    });
    expect(r.statusCode, r.body).toBe(201);
    const pushUrl = new URL(JSON.parse(r.body).push_url);
    expect((await api.call('POST', pushUrl.pathname, undefined, { token: null })).statusCode).toBe(200);
    expect(
      (await api.call('POST', '/api/v1/monitors/push/sgp_nope', undefined, { token: null })).statusCode,
    ).toBe(400);
    await minutes(1, 'cron');
    expect(JSON.parse((await api.call('GET', '/api/v1/monitors/cron')).body).state).toBe('up');
    await minutes(2, 'cron');
    expect(raised.map((a) => a.status)).toEqual(['firing']);
  });

  it('a failure ping raises at once despite the grace period; the next heartbeat resolves it', async () => {
    const r = await api.call('PUT', '/api/v1/monitors/recon', {
      key: 'recon',
      name: 'Daily reconciliation',
      kind: 'push',
      interval_seconds: 86_400,
      down_after_seconds: 3_600,
    });
    const push = new URL(JSON.parse(r.body).push_url).pathname;
    const fail = await api.call(
      'POST',
      `${push}/fail?message=${encodeURIComponent('3 ledger rows unmatched')}`,
      undefined,
      {
        token: null,
      },
    );
    expect(fail.statusCode, fail.body).toBe(200);
    expect(raised.map((a) => [a.status, a.annotations?.error])).toEqual([
      ['firing', 'failure reported: 3 ledger rows unmatched'],
    ]);
    // A second failure while firing raises nothing new.
    await api.call('GET', `${push}/fail`, undefined, { token: null });
    expect(raised).toHaveLength(1);
    const down = JSON.parse((await api.call('GET', '/api/v1/monitors/recon')).body);
    expect(down.state).toBe('down');
    expect(down.results[0]).toMatchObject({ ok: false, error: 'failure reported: 3 ledger rows unmatched' });
    await api.call('POST', push, undefined, { token: null });
    expect(raised.map((a) => a.status)).toEqual(['firing', 'resolved']);
    expect(JSON.parse((await api.call('GET', '/api/v1/monitors/recon')).body).state).toBe('up');
    const long = await api.call('POST', `${push}/fail?message=${'x'.repeat(501)}`, undefined, {
      token: null,
    });
    expect(long.statusCode).toBe(400);
    expect(JSON.parse(long.body).errors[0].field).toBe('message');
    expect(raised).toHaveLength(2);
  });
});
