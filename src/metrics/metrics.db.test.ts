import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { type Api, apiFor } from '../../test/support/http.ts';
import { withPlan } from '../../test/support/incidents.ts';
import { incidents } from '../incidents/tables.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import { acknowledge, changeStatus, editIncident } from '../incidents/verbs/lifecycle.ts';
import { runVerb } from '../kernel/verb.ts';
import { addActionItem, updateActionItem } from '../postmortems/action-items.ts';
import { linkRecurrence } from '../postmortems/links.ts';
import { metricsModule } from './module.ts';

let w: TestWorld;
let api: Api;
const MIN = 60_000;
const H = 60 * MIN;
const T0 = new Date('2026-01-05T02:00:00.000Z').getTime();

const as = <T>(fn: Parameters<typeof runVerb<T>>[2]) => runVerb(w.env, w.admin.scope, fn);
const at = (ms: number) => w.clock.set(new Date(ms));

/**
 * The hand-computed set (fixture plan: P1 responds in 15m and resolves in 4h, P2 in 1h and 8h):
 *   INC-1 outage P1 [api]         onset T0-30m, ack +10m, resolved +2h
 *   INC-2 outage P2 [api, ledger] ack +70m (missed), resolved +10h (missed)
 *   INC-3 breach P1 []            never acknowledged, still open
 *   INC-4 outage P1 [ledger]      ack +5m, resolved +1h, reopened +2h, resolved again +5h (missed)
 *   INC-5 drill                   ack +1m, resolved +10m: never counted
 */
async function history() {
  at(T0);
  await as((ctx) =>
    declareIncident(ctx, {
      title: 'API down',
      type: 'outage',
      severity: 'P1',
      services: ['api'],
      impact: 'Checkout, login',
    }),
  );
  await api.call('PUT', '/api/v1/incidents/INC-1/onset', { began_at: new Date(T0 - 30 * MIN).toISOString() });
  at(T0 + 10 * MIN);
  await as((ctx) => acknowledge(ctx, 'INC-1'));
  at(T0 + 2 * H);
  await as((ctx) => changeStatus(ctx, 'INC-1', 'resolved', 'rolled back "v2", restarted'));

  const d1 = T0 + 24 * H;
  at(d1);
  await as((ctx) =>
    declareIncident(ctx, { title: 'Slow sync', type: 'outage', severity: 'P2', services: ['api', 'ledger'] }),
  );
  at(d1 + 70 * MIN);
  await as((ctx) => acknowledge(ctx, 'INC-2'));
  at(d1 + 10 * H);
  await as((ctx) => changeStatus(ctx, 'INC-2', 'resolved'));

  at(T0 + 48 * H);
  await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach', severity: 'P1' }));

  const d3 = T0 + 72 * H;
  at(d3);
  await as((ctx) =>
    declareIncident(ctx, { title: 'API down again', type: 'outage', severity: 'P1', services: ['ledger'] }),
  );
  at(d3 + 5 * MIN);
  await as((ctx) => acknowledge(ctx, 'INC-4'));
  at(d3 + H);
  await as((ctx) => changeStatus(ctx, 'INC-4', 'resolved'));
  at(d3 + 2 * H);
  await as((ctx) => changeStatus(ctx, 'INC-4', 'investigating', 'errors are back'));
  at(d3 + 5 * H);
  await as((ctx) => changeStatus(ctx, 'INC-4', 'resolved'));
  await as((ctx) => linkRecurrence(ctx, 'INC-4', 'INC-1'));

  at(T0 + 96 * H);
  await as((ctx) =>
    declareIncident(ctx, { title: 'Drill', type: 'outage', severity: 'P1', services: ['api'], drill: true }),
  );
  at(T0 + 96 * H + MIN);
  await as((ctx) => acknowledge(ctx, 'INC-5'));
  at(T0 + 96 * H + 10 * MIN);
  await as((ctx) => changeStatus(ctx, 'INC-5', 'resolved'));
  await as((ctx) => linkRecurrence(ctx, 'INC-5', 'INC-1'));

  const done = await as((ctx) =>
    addActionItem(ctx, 'INC-1', { title: 'Canary deploys', priority: 'P1', due_on: '2026-01-10' }),
  );
  await as((ctx) =>
    addActionItem(ctx, 'INC-1', { title: 'Alert on p99', priority: 'P2', due_on: '2026-01-07' }),
  );
  await as((ctx) => addActionItem(ctx, 'INC-5', { title: 'Drill follow-up', priority: 'P2' }));
  at(T0 + 100 * H);
  await as((ctx) => updateActionItem(ctx, done.id, { status: 'done' }));
}

beforeEach(async () => {
  w = await createWorld();
  at(T0 - H);
  await withPlan(w);
  const m = metricsModule();
  m.hooks!(w.env.hooks, w.env);
  api = await apiFor(w, { plugins: [(app, env) => m.routes!(app, env)] });
  await history();
});
afterEach(() => w.close());

const period = 'from=2026-01-01&to=2026-02-01';

describe('response metrics on a hand-computed set', () => {
  it('MTTD, MTTA and MTTR with means and percentiles, drills and the unreached left out', async () => {
    const res = await api.call('GET', `/api/v1/metrics/summary?${period}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().groups).toEqual([
      {
        key: 'all',
        incidents: 4,
        acknowledged: 3,
        resolved: 3,
        mttd: { n: 1, mean_ms: 30 * MIN, p50_ms: 30 * MIN, p90_ms: 30 * MIN, p99_ms: 30 * MIN },
        // [5, 10, 70] minutes; linear interpolation between ranks like PostgreSQL's percentile_cont.
        mtta: { n: 3, mean_ms: (85 / 3) * MIN, p50_ms: 10 * MIN, p90_ms: 58 * MIN, p99_ms: 68.8 * MIN },
        // [2, 5, 10] hours: INC-4 counts to its final resolution.
        mttr: { n: 3, mean_ms: Math.round((17 / 3) * H), p50_ms: 5 * H, p90_ms: 9 * H, p99_ms: 9.9 * H },
      },
    ]);
  });

  it('per severity, type, service and month', async () => {
    const by = async (g: string) =>
      (await api.call('GET', `/api/v1/metrics/summary?${period}&group_by=${g}`))
        .json()
        .groups.map((x: { key: string; incidents: number; mtta: { mean_ms: number | null } }) => [
          x.key,
          x.incidents,
          x.mtta.mean_ms,
        ]);
    expect(await by('severity')).toEqual([
      ['P1', 3, 7.5 * MIN],
      ['P2', 1, 70 * MIN],
    ]);
    expect(await by('type')).toEqual([
      ['breach', 1, null],
      ['outage', 3, (85 / 3) * MIN],
    ]);
    expect(await by('service')).toEqual([
      ['(none)', 1, null],
      ['api', 2, 40 * MIN],
      ['ledger', 2, 37.5 * MIN],
    ]);
    expect(await by('month')).toEqual([['2026-01', 4, (85 / 3) * MIN]]);
  });

  it('targets met, recurrence and action item completion', async () => {
    const d = (await api.call('GET', `/api/v1/metrics/dashboard?${period}`)).json();
    const target = (key: string) => d.targets.find((t: { key: string }) => t.key === key);
    expect(target('response')).toEqual({
      kind: 'response',
      key: 'response',
      met: 2,
      missed: 1,
      share: 2 / 3,
    });
    expect(target('mttr')).toEqual({ kind: 'mttr', key: 'mttr', met: 1, missed: 2, share: 1 / 3 });
    // Triage (15m): only by entering the next phase; nobody did, so every resolved incident missed it.
    expect(target('phase:triage')).toMatchObject({ met: 0, missed: 3 });
    expect(d.recurrence).toEqual({ incidents: 4, recurrences: 1, rate: 0.25 });
    expect(d.action_items).toEqual({
      total: 2,
      done: 1,
      wont_do: 0,
      open: 1,
      overdue: 1,
      done_on_time: 1,
      completion: 0.5,
    });
    // The dashboard's one-scan grouping sets agree with the per-grouping summaries.
    const groups = async (g: string) =>
      (await api.call('GET', `/api/v1/metrics/summary?${period}&group_by=${g}`)).json().groups;
    expect(d.overall).toEqual((await groups('none'))[0]);
    expect(d.by_severity).toEqual(await groups('severity'));
    expect(d.by_type).toEqual(await groups('type'));
    expect(d.by_month).toEqual(await groups('month'));
    expect(d.by_service).toEqual(await groups('service'));
  });

  it('groups months in the plan zone and keeps any service name: separators, quotes, commas', async () => {
    // 18:00 UTC on 31 January is 1 February in Jakarta, the fixture plan's zone.
    at(Date.parse('2026-01-31T18:00:00Z'));
    const odd = ['pay, "gw"', 'a\x1fb\x1ec', 'NULL', 'back\\slash {x}'];
    await as((ctx) => declareIncident(ctx, { title: 'Odd names', type: 'outage', severity: 'P2' }));
    // Declaring checks services against the plan; names from older plans or imports may hold anything.
    await w.env.database.db.update(incidents).set({ services: odd }).where(eq(incidents.number, 6));
    at(Date.parse('2026-01-31T18:20:00Z'));
    await as((ctx) => acknowledge(ctx, 'INC-6'));
    const q = 'from=2026-01-01&to=2026-03-01';
    const by = async (g: string) =>
      (await api.call('GET', `/api/v1/metrics/summary?${q}&group_by=${g}`))
        .json()
        .groups.map((x: { key: string; incidents: number; mtta: { p50_ms: number | null } }) => [
          x.key,
          x.incidents,
          x.mtta.p50_ms,
        ]);
    expect(await by('month')).toEqual([
      ['2026-01', 4, 10 * MIN],
      ['2026-02', 1, 20 * MIN],
    ]);
    expect(await by('service')).toEqual(
      [
        ['(none)', 1, null],
        ['api', 2, 40 * MIN],
        ['ledger', 2, 37.5 * MIN],
        ...odd.map((s) => [s, 1, 20 * MIN]),
      ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    );
    const d = (await api.call('GET', `/api/v1/metrics/dashboard?${q}`)).json();
    expect(d.by_service.map((g: { key: string }) => g.key)).toEqual(
      (await by('service')).map((g: string[]) => g[0]),
    );
  });

  it('an empty period has no groups rather than zeros posing as times', async () => {
    const res = await api.call('GET', '/api/v1/metrics/summary?from=2025-01-01&to=2025-02-01');
    expect(res.json().groups).toEqual([]);
  });

  it('refuses a period that ends before it starts, naming the field', async () => {
    const res = await api.call('GET', '/api/v1/metrics/summary?from=2026-02-01&to=2026-01-01');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('to');
    const bad = await api.call('GET', '/api/v1/metrics/summary?from=yesterday');
    expect(bad.json().errors[0]).toMatchObject({ field: 'from' });
    const onset = await api.call('PUT', '/api/v1/incidents/INC-2/onset', {
      began_at: '2027-01-01T00:00:00Z',
    });
    expect(onset.statusCode).toBe(400);
    expect(onset.json().errors[0].field).toBe('began_at');
  });
});

describe('the incident log (seed 002)', () => {
  it('lists date, type, severity, impact, resolution and post-mortem link, as JSON and CSV', async () => {
    await as((ctx) => editIncident(ctx, 'INC-2', { impact: 'Orders delayed, "some" lost' }));
    const json = (await api.call('GET', `/api/v1/metrics/log?${period}`)).json();
    expect(json.entries.map((e: { incident: string }) => e.incident)).toEqual([
      'INC-1',
      'INC-2',
      'INC-3',
      'INC-4',
    ]);
    expect(json.entries[0]).toMatchObject({
      date: '2026-01-05',
      type: 'Outage',
      severity: 'P1',
      impact: 'Checkout, login',
      resolution: 'rolled back "v2", restarted',
      postmortem: null,
    });
    const csv = await api.call('GET', `/api/v1/metrics/log?${period}`, undefined, {
      headers: { accept: 'text/csv' },
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n').slice(0, 3)).toEqual([
      'Date,Incident,Type,Severity,Impact,Resolution,Post-Mortem',
      '2026-01-05,INC-1,Outage,P1,"Checkout, login","rolled back ""v2"", restarted",',
      '2026-01-06,INC-2,Outage,P2,"Orders delayed, ""some"" lost",,',
    ]);
  });
});
