/**
 * bench:metrics — a year's metrics dashboard over 100,000 historical incidents, on the embedded
 * database and on PostgreSQL. Incidents are bulk-inserted with generate_series (about 270 a day
 * over a year, 5% drills), with their clock outcomes and target facts, onsets, action items and
 * recurrence links.
 *   npm run bench:metrics [-- --incidents 100000 --runs 5 --only pglite,postgres]
 *   (BENCH_PARTS=1 also times each query)
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { insertWorkspace } from '../src/access/verbs.ts';
import { createPglite, type Database, openPostgres } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import type { Env } from '../src/kernel/env.ts';
import { Hooks } from '../src/kernel/hooks.ts';
import { runVerb, SYSTEM_ACTOR } from '../src/kernel/verb.ts';
import { dashboard, logEntries } from '../src/metrics/service.ts';
import { applyPlan } from '../src/plans/store.ts';
import { FakeClock } from '../src/shared/clock.ts';
import { newId } from '../src/shared/ids.ts';
import { ADMIN_URL, type Backend, printTable, ROOT } from './support.ts';

const { values } = parseArgs({
  options: {
    incidents: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: 'pglite,postgres' },
  },
});
const N = Number(values.incidents);
const RUNS = Number(values.runs);
const NOW = new Date('2026-12-01T00:00:00Z');

async function open(backend: Backend): Promise<{ db: Database; drop(): Promise<void> }> {
  if (backend === 'pglite') {
    const db = await createPglite();
    return { db, drop: () => db.close() };
  }
  const name = `siaga_bench_${newId().replaceAll('-', '').slice(0, 12)}`;
  const admin = openPostgres(ADMIN_URL, { max: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = openPostgres(url.toString(), { max: 8 });
  return {
    db,
    drop: async () => {
      await db.close();
      const a = openPostgres(ADMIN_URL, { max: 1 });
      await a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.close();
    },
  };
}

async function seed(db: Database): Promise<{ env: Env; workspaceId: string }> {
  await migrate(db);
  const clock = new FakeClock(NOW);
  const env: Env = {
    database: db,
    clock,
    log: pino({ level: 'silent' }),
    jobs: null,
    publicUrl: 'http://siaga.bench',
    hooks: new Hooks(),
    notifier: null,
    alerts: null,
    oncall: null,
  };
  const workspaceId = await db.db.transaction((tx) =>
    insertWorkspace(tx, { slug: 'bench', name: 'Bench', now: NOW }),
  );
  const source = readFileSync(join(ROOT, 'examples/plans/rekberkan.yaml'), 'utf8');
  const { version } = await runVerb(env, { workspaceId, actor: SYSTEM_ACTOR }, (ctx) =>
    applyPlan(ctx, { source }),
  );
  const pv = version.id;
  const t0 = Date.now();
  await db.exec(`
    INSERT INTO incidents (id, workspace_id, number, plan_version_id, title, impact, type_key, severity_key, severity_rank,
      status, drill, services, tenants, correlation_ids, detected_at, declared_at, acknowledged_at, resolved_at, created_by, updated_at)
    SELECT gen_random_uuid(), '${workspaceId}', g, '${pv}', 'Incident ' || g, 'impact ' || (g % 7),
      (ARRAY['security','data_breach','financial','financial_fraud','availability'])[1 + g % 5],
      (ARRAY['S1','S2','S3','S4'])[1 + (g * 7) % 4], (g * 7) % 4,
      CASE WHEN g % 50 = 0 THEN 'investigating' ELSE 'resolved' END, g % 20 = 0,
      CASE g % 4 WHEN 0 THEN ARRAY['ledger'] WHEN 1 THEN ARRAY['payment_gateway'] WHEN 2 THEN ARRAY['ledger','audit_chain'] ELSE ARRAY[]::text[] END,
      '{}', '{}', d, d + interval '1 minute',
      CASE WHEN g % 13 = 0 THEN NULL ELSE d + ((g * 37) % 240) * interval '1 minute' END,
      CASE WHEN g % 50 = 0 THEN NULL ELSE d + ((g * 53) % 4320) * interval '1 minute' END,
      '{"type":"system","id":null,"name":"bench"}', d
    FROM (SELECT g, timestamptz '2025-12-01' + (g::float8 / ${N}) * interval '365 days' AS d FROM generate_series(1, ${N}) g) s`);
  await db.exec(`UPDATE workspaces SET incident_seq = ${N} WHERE id = '${workspaceId}'`);
  await db.exec(`
    INSERT INTO incident_clock_results (incident_id, workspace_id, clock_key, kind, state, slack_ms, deadline)
    SELECT i.id, i.workspace_id, k.key, k.kind, CASE WHEN (i.number + length(k.key)) % 4 = 0 THEN 'breached' ELSE 'met' END, 60000, i.detected_at
    FROM incidents i CROSS JOIN (VALUES ('response','response'), ('mttr','mttr'), ('phase:detection_triage','phase'), ('obligation:ojk','obligation')) k(key, kind)
    WHERE i.resolved_at IS NOT NULL`);
  // What recording the outcomes on resolve writes beside them (metrics/results.ts).
  await db.exec(`
    INSERT INTO incident_target_facts (incident_id, workspace_id, detected_at, drill, outcomes)
    SELECT i.id, i.workspace_id, i.detected_at, i.drill,
      json_agg(json_build_array(r.kind, r.clock_key, r.state) ORDER BY r.clock_key)::text
    FROM incident_clock_results r JOIN incidents i ON i.id = r.incident_id
    WHERE r.state IN ('met', 'breached') GROUP BY i.id`);
  await db.exec(`
    INSERT INTO incident_onsets (incident_id, workspace_id, began_at, source, recorded_at)
    SELECT id, workspace_id, detected_at - ((number % 30) * interval '1 minute'), 'alert', detected_at FROM incidents WHERE number % 3 = 0`);
  await db.exec(`
    INSERT INTO action_items (id, workspace_id, incident_id, number, title, priority, status, due_on, due_at, created_at, updated_at, completed_at)
    SELECT gen_random_uuid(), workspace_id, id, 1, 'Fix ' || number, 'P1', CASE WHEN number % 3 = 0 THEN 'open' ELSE 'done' END,
      (detected_at + interval '7 days')::date, detected_at + interval '7 days', detected_at, detected_at,
      CASE WHEN number % 3 = 0 THEN NULL ELSE detected_at + interval '5 days' END
    FROM incidents WHERE number % 4 = 0`);
  await db.exec(`
    INSERT INTO incident_links (workspace_id, incident_id, recurrence_of, created_at)
    SELECT a.workspace_id, a.id, b.id, a.detected_at FROM incidents a JOIN incidents b ON b.workspace_id = a.workspace_id AND b.number = a.number - 97
    WHERE a.number % 11 = 0`);
  await db.exec('ANALYZE');
  console.log(`  seeded ${N} incidents in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { env, workspaceId };
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm: plan cache, prepared plans
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

const rows: (string | number)[][] = [
  ['backend', 'query (year, drills excluded)', 'median ms', 'min ms', 'max ms', 'goal'],
];
const only = new Set(values.only.split(','));
for (const backend of (['pglite', 'postgres'] as Backend[]).filter((b) => only.has(b))) {
  console.log(`${backend}:`);
  let opened: Awaited<ReturnType<typeof open>>;
  try {
    opened = await open(backend);
  } catch (err) {
    console.log(`  skipped: ${(err as Error).message}`);
    continue;
  }
  try {
    const { env, workspaceId } = await seed(opened.db);
    const period = { from: new Date('2025-12-01T00:00:00Z'), to: NOW };
    const d = await time(() => dashboard(opened.db.db, workspaceId, period, NOW));
    const log = await time(() =>
      logEntries(
        opened.db.db,
        workspaceId,
        { from: new Date('2026-11-01T00:00:00Z'), to: NOW },
        env.publicUrl,
      ),
    );
    const med = (a: number[]) => a[Math.floor(a.length / 2)]!;
    if (process.env.BENCH_PARTS) {
      const q = {
        ...(await import('../src/metrics/queries.ts')),
        ...(await import('../src/metrics/times.ts')),
      };
      for (const [name, fn] of [
        ['none', () => q.timeStats(opened.db.db, workspaceId, period, 'none', 'UTC')],
        ['service', () => q.timeStats(opened.db.db, workspaceId, period, 'service', 'UTC')],
        ['month', () => q.timeStats(opened.db.db, workspaceId, period, 'month', 'UTC')],
        ['targets', () => q.targetShares(opened.db.db, workspaceId, period, NOW)],
        ['recurrence', () => q.recurrence(opened.db.db, workspaceId, period)],
        ['items', () => q.actionItemStats(opened.db.db, workspaceId, period, NOW)],
      ] as const)
        console.log(`  ${name}: ${med(await time(fn as () => Promise<unknown>)).toFixed(0)} ms`);
    }
    rows.push([
      backend,
      'dashboard: 5 groupings + targets + recurrence + action items',
      med(d).toFixed(0),
      d[0]!.toFixed(0),
      d.at(-1)!.toFixed(0),
      med(d) < 500 ? '< 500 ms ok' : 'over 500 ms',
    ]);
    rows.push([
      backend,
      'incident log, one month',
      med(log).toFixed(0),
      log[0]!.toFixed(0),
      log.at(-1)!.toFixed(0),
      '',
    ]);
  } finally {
    await opened.drop();
  }
}
printTable(rows);
