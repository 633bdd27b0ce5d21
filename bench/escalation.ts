/**
 * bench:escalation — many escalations active at once, each with one timed step; how late the
 * steps fire after their due time and how many notices reach the notifier per second, on the
 * embedded database and on PostgreSQL. Incidents are declared through the real verb (so each
 * escalation is started by the real hook) before any step comes due, and the escalation module
 * runs with its production settings.
 *   npm run bench:escalation [-- --escalations 10000 --after 300 --concurrency 16]
 * SIAGA_BENCH_ESCALATIONS lowers the default count (e.g. 2000 for a quick run). The default
 * `after` leaves room to declare them all first (about 30 ms each); a smaller one makes steps
 * fire while declarations still run, which the "due in setup" column counts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { addUser, insertWorkspace } from '../src/access/verbs.ts';
import { openPglite, openPostgres } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { escalationModule } from '../src/escalation/module.ts';
import { declareIncident } from '../src/incidents/verbs/declare.ts';
import { runVerb, SYSTEM_ACTOR } from '../src/kernel/verb.ts';
import { applyOnCallFile } from '../src/oncall/apply.ts';
import { oncallModule } from '../src/oncall/module.ts';
import { applyPlan } from '../src/plans/store.ts';
import { createRuntime } from '../src/server/runtime.ts';
import { systemClock } from '../src/shared/clock.ts';
import { ADMIN_URL, printTable, ROOT } from './support.ts';

const { values } = parseArgs({
  options: {
    escalations: { type: 'string', default: process.env.SIAGA_BENCH_ESCALATIONS ?? '10000' },
    after: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
  },
});
const N = Number(values.escalations);
const AFTER = Number(values.after ?? Math.max(120, Math.ceil(N * 0.03)));
const CONC = Number(values.concurrency);

const plan = readFileSync(join(ROOT, 'examples/plans/vpn.yaml'), 'utf8')
  .replace('after: 0m', `after: ${AFTER}s`)
  .replace(/after: (15|30|60)m/g, 'after: 100d');

const rows: (string | number)[][] = [
  [
    'backend',
    'escalations',
    'setup s',
    'due in setup',
    'pages',
    'p50 late ms',
    'p99 late ms',
    'max late ms',
    'notices/s',
  ],
];

for (const backend of ['pglite', 'postgres'] as const) {
  let drop = async () => {};
  let database: import('../src/db/client.ts').Database;
  if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'siaga-bench-esc-'));
    database = await openPglite(dir);
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `siaga_bench_esc_${process.pid}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    database = openPostgres(url.toString(), { max: 10 });
    drop = async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  }
  await migrate(database);
  const late: number[] = [];
  const dueOf = new Map<string, number>();
  const handed: number[] = [];
  const counter = {
    name: 'counting-notifier',
    provide(env: import('../src/kernel/env.ts').Env) {
      env.notifier = {
        async notify(_ctx, notice) {
          // When the notice reached the notifier, minus when its step was due. Not the step's
          // ctx.now: a batch of steps shares one, taken before any of them ran.
          const at = Date.now();
          handed.push(at);
          late.push(at - (dueOf.get(notice.incidentId!) ?? Number.NaN));
        },
      };
    },
  };
  const runtime = createRuntime(database, {
    clock: systemClock,
    log: pino({ level: 'warn' }),
    publicUrl: 'http://bench',
    modules: [counter, oncallModule(), escalationModule()],
  });
  await runtime.start();
  const env = runtime.env;
  const now = env.clock.now();
  const workspaceId = await database.db.transaction((tx) =>
    insertWorkspace(tx, { slug: 'bench', name: 'Bench', now }),
  );
  const scope = { workspaceId, actor: SYSTEM_ACTOR };
  await runVerb(env, scope, (ctx) =>
    addUser(ctx, { email: 'oncall@bench.test', name: 'On call', role: 'responder' }),
  );
  await runVerb(env, scope, (ctx) => applyPlan(ctx, { source: plan }));
  await runVerb(env, scope, (ctx) =>
    applyOnCallFile(ctx, {
      source: 'siaga_oncall: oncall/1\nroles:\n  on_call: { user: oncall@bench.test }\n',
    }),
  );
  const t0 = Date.now();
  const due: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next < N) {
        next++;
        await runVerb(env, scope, async (ctx) => {
          const d = await declareIncident(ctx, { title: 'Bench', type: 'vpn_api_failure', severity: 'P0' });
          dueOf.set(d.id, ctx.now.getTime() + AFTER * 1000);
          due.push(ctx.now.getTime() + AFTER * 1000);
        });
      }
    }),
  );
  const setup = (Date.now() - t0) / 1000;
  const dueInSetup = due.filter((d) => d < t0 + setup * 1000).length;
  const deadline = Math.max(...due) + 120_000;
  while (late.length < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  const lateness = [...late].sort((a, b) => a - b);
  const q = (p: number) =>
    lateness[Math.min(lateness.length - 1, Math.floor(p * lateness.length))] ?? Number.NaN;
  const span = (Math.max(...handed) - Math.min(...handed)) / 1000 || 1;
  rows.push([
    backend,
    N,
    setup.toFixed(1),
    dueInSetup,
    late.length,
    q(0.5).toFixed(0),
    q(0.99).toFixed(0),
    (lateness.at(-1) ?? Number.NaN).toFixed(0),
    (handed.length / span).toFixed(0),
  ]);
  await runtime.stop();
  await database.close();
  await drop();
}

console.log(
  `\nEscalation steps, ${N} escalations active at once, each step due ${AFTER} s after declaration\n`,
);
printTable(rows);
