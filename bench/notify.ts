/**
 * bench:notify — how late deliveries leave after their due time, and how many are dispatched per
 * second, to a signed-webhook receiver on loopback, on the embedded database and on PostgreSQL.
 *   npm run bench:notify [-- --notices 500]
 */
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import pino from 'pino';
import { type Database, openPostgres, wrapPglite } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { runVerb } from '../src/kernel/verb.ts';
import { addContact } from '../src/notify/contacts.ts';
import { notifyModule } from '../src/notify/module.ts';
import { loadNotifySettings } from '../src/notify/settings.ts';
import { createRuntime } from '../src/server/runtime.ts';
import { systemClock } from '../src/shared/clock.ts';
import { worldIn } from '../test/support/env.ts';
import { httpReceiver } from '../test/support/receivers.ts';
import { ADMIN_URL, type Backend, printTable } from './support.ts';

const { values } = parseArgs({ options: { notices: { type: 'string', default: '500' } } });
const N = Number(values.notices);
const rows: (string | number)[][] = [
  ['backend', 'notices', 'p50 late ms', 'p99 late ms', 'max late ms', 'sent/s'],
];

async function open(backend: Backend): Promise<{ db: Database; drop(): Promise<void> }> {
  if (backend === 'pglite') {
    const db = wrapPglite(await PGlite.create());
    return { db, drop: async () => {} };
  }
  const name = `siaga_bench_notify_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    db: openPostgres(url.toString(), { max: 10 }),
    drop: async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

for (const backend of ['pglite', 'postgres'] as const) {
  const receiver = await httpReceiver();
  const { db, drop } = await open(backend);
  await migrate(db);
  const settings = loadNotifySettings({ SIAGA_NOTIFY_STORM_LIMIT: String(N + 1) });
  const runtime = createRuntime(db, {
    clock: systemClock,
    log: pino({ level: 'warn' }),
    publicUrl: 'http://siaga.bench',
    modules: [notifyModule({ settings })],
  });
  await runtime.start();
  const w = await worldIn(runtime.env, 'bench');
  const users: string[] = [];
  for (let i = 0; i < N; i++) {
    const u = await w.addMember({ email: `u${i}@bench.test` });
    await runVerb(w.env, w.admin.scope, (ctx) =>
      addContact(ctx, u.id, {
        kind: 'webhook',
        address: `${receiver.url}/u${i}`,
        secret: 'whsec_0123456789abcdef',
      }),
    );
    users.push(u.id);
  }
  const dueAt = new Map<string, number>();
  const t0 = Date.now();
  for (let i = 0; i < N; i++) {
    dueAt.set(`/u${i}`, Date.now());
    await runVerb(w.env, w.admin.scope, (ctx) =>
      w.env.notifier!.notify(ctx, {
        dedupKey: `b:${i}`,
        kind: 'page',
        to: [{ user: users[i]! }],
        subject: `p${i}`,
        text: 't',
      }),
    );
  }
  const arrived = new Map<string, number>();
  while (arrived.size < N && Date.now() - t0 < 120_000) {
    for (const r of receiver.requests) if (!arrived.has(r.path)) arrived.set(r.path, Date.now());
    await new Promise((r) => setTimeout(r, 5));
  }
  const late = [...arrived].map(([p, at]) => at - dueAt.get(p)!).sort((a, b) => a - b);
  const secs = (Math.max(...arrived.values()) - t0) / 1000;
  rows.push([
    backend,
    arrived.size,
    pct(late, 50),
    pct(late, 99),
    late[late.length - 1]!,
    Math.round(arrived.size / secs),
  ]);
  await runtime.stop();
  await db.close();
  await drop();
  await receiver.close();
}
printTable(rows);
console.log('(lateness: from notify() commit to the receiver seeing the request; shared machine)');
