/**
 * bench:ingest — Siaga's Alertmanager API v2 intake beside Debian's Alertmanager, same load, same
 * machine. For each: alerts per second over 10,000 distinct label sets in batches of 100 and of 1
 * (32 keep-alive connections); the latency of a new alert while 1,000 alerts/s arrive in the
 * background (Siaga: POST → alert stored, routed and its incident opened, one transaction;
 * Alertmanager: POST → its webhook for that alert, group_wait 0); memory with many active alerts.
 *   npm run bench:ingest [-- --seconds 10 --connections 32 --active 100000 --samples 200]
 *   (--only postgres, or a comma list of alertmanager, pglite, postgres, runs just those;
 *   --phases throughput, or a comma list of throughput, latency, memory, runs just those;
 *   --phases fresh adds new alerts one per post, every label set new: a storm of distinct
 *   alerts, where the ×1 phase, run after ×100 has stored its label sets, measures repeats;
 *   --batches 1 measures throughput in batches of 1 only;
 *   --senders 5 spreads the latency phase's background over 5 integrations, as when several
 *   tools storm at once: 1, 2, 5 or 10)
 * Memory is measured in a fresh process of each target, so what the load phases left on the heap
 * does not count as the held alerts' cost.
 */

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort, startTool, type Tool } from '../src/alerts/test/tools.ts';
import {
  type Backend,
  cpuSeconds,
  freshStorage,
  printTable,
  ROOT,
  rssMiB,
  startServer,
  TOKEN,
} from './support.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    active: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '200' },
    only: { type: 'string', default: 'alertmanager,pglite,postgres' },
    phases: { type: 'string', default: 'throughput,latency,memory' },
    batches: { type: 'string', default: '100,1' },
    senders: { type: 'string', default: '1' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const ACTIVE = Number(values.active);
const SAMPLES = Number(values.samples);
const LABEL_SETS = 10_000;
const ONLY = new Set(values.only.split(','));
const PHASES = new Set(values.phases.split(','));
const BATCHES = new Set(values.batches.split(',').map(Number));
const SENDERS = Number(values.senders);
if (![1, 2, 5, 10].includes(SENDERS))
  throw new Error('--senders must be 1, 2, 5 or 10 (they share 10 posts a second)');

type V2Alert = { labels: Record<string, string>; annotations: Record<string, string> };
const alert = (bench: string, instance: string): V2Alert => ({
  labels: { alertname: 'BenchLoad', bench, instance, severity: 'warning', job: 'node' },
  annotations: { summary: `Load on ${instance}` },
});
/** Bodies that together cover the label sets once, cycled by the load generator. */
const bodies = (batch: number, bench = 'storm', prefix = 'host', sets = LABEL_SETS) =>
  Array.from({ length: sets / batch }, (_, b) =>
    JSON.stringify(Array.from({ length: batch }, (_, j) => alert(bench, `${prefix}-${b * batch + j}`))),
  );

/** `senders`: where the latency phase's background load posts, one URL per sending tool. */
type Target = { name: string; url: string; headers: Record<string, string>; pid: number; senders?: string[] };

/**
 * `list`: the bodies to cycle. The fresh phase's cover more label sets than any target posts in
 * a phase, so every alert in it is new.
 */
async function throughput(t: Target, batch: number, list = bodies(batch)) {
  let i = 0;
  const cpu0 = cpuSeconds(t.pid);
  const r = await autocannon({
    url: t.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    // A slow answer is measured, not dropped: Alertmanager's own sender waits 10 s by default.
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...t.headers },
        setupRequest: (req) => ({ ...req, body: list[i++ % list.length] }),
      },
    ],
  });
  const alerts = r.requests.total * batch;
  return {
    alertsPerSecond: alerts / r.duration,
    // What each alert cost the target's own process: steadier than a rate on a shared machine.
    cpuMicros: ((cpuSeconds(t.pid) - cpu0) * 1e6) / alerts,
    errors: r.errors + r.non2xx + r.timeouts,
    p99: r.latency.p99,
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

/** New alerts one at a time while a background load posts 1,000 alerts/s in batches of 100. */
async function latency(t: Target, deliver: (instance: string, post: () => Promise<void>) => Promise<number>) {
  // Each sender storms its own label sets, as Prometheus, Grafana and Sentry would in one outage.
  const all = bodies(100, 'storm', 'bg');
  const urls = t.senders ?? [t.url];
  const senders = urls.map((url, s) => ({ url, list: all.filter((_, j) => j % urls.length === s), i: 0 }));
  const started = performance.now();
  const running = senders.map(
    (s) =>
      new Promise<{ instance: autocannon.Instance; result: Promise<autocannon.Result> }>((ready) => {
        let done: (r: autocannon.Result) => void = () => {};
        const result = new Promise<autocannon.Result>((r) => {
          done = r;
        });
        const instance = autocannon(
          {
            url: s.url,
            connections: 4,
            overallRate: 10 / senders.length,
            duration: 3600,
            requests: [
              {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...t.headers },
                setupRequest: (req) => ({ ...req, body: s.list[s.i++ % s.list.length] }),
              },
            ],
          },
          (_err, r) => done(r),
        );
        ready({ instance, result });
      }),
  );
  const loads = await Promise.all(running);
  await new Promise((r) => setTimeout(r, 1000));
  const times: number[] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const instance = `fresh-${Date.now()}-${k}`;
    const post = async () => {
      const res = await fetch(t.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...t.headers },
        body: JSON.stringify([alert('fresh', instance)]),
      });
      if (!res.ok) throw new Error(`${t.name}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    times.push(await deliver(instance, post));
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const l of loads) l.instance.stop();
  const results = await Promise.all(loads.map((l) => l.result));
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  const seconds = (performance.now() - started) / 1000;
  return { p50: pct(times, 0.5), p99: pct(times, 0.99), background: (total * 100) / seconds };
}

/**
 * Distinct firing alerts posted in batches of 100, eight requests at a time, into a fresh
 * process; RSS grown per alert, from a baseline taken after one small post warmed the routes.
 */
async function memory(t: Target) {
  const post = async (batch: V2Alert[]) => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...t.headers },
      body: JSON.stringify(batch),
    });
    if (!res.ok) throw new Error(`${t.name}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  await post([alert('held', 'warm-up')]);
  await new Promise((r) => setTimeout(r, 1000));
  const before = rssMiB(t.pid);
  let next = 0;
  const worker = async () => {
    for (let b = next++; b * 100 < ACTIVE; b = next++)
      await post(Array.from({ length: 100 }, (_, j) => alert('held', `mem-${b * 100 + j}`)));
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  // What a settled process holds, not the garbage of the last posts.
  await new Promise((r) => setTimeout(r, 2000));
  const after = rssMiB(t.pid);
  return { rss: after, perAlertKB: ((after - before) * 1024) / ACTIVE };
}

type Row = {
  target: string;
  b100?: number;
  b1?: number;
  cpu100?: number;
  cpu1?: number;
  p50?: number;
  p99?: number;
  background?: number;
  rss?: number;
  kb?: number;
  fresh?: number;
  cpuFresh?: number;
  errors: number;
};
const rows: Row[] = [];

type Deliver = Parameters<typeof latency>[1];
/** One running target: where to post, how a fresh alert's delivery is timed, and a closing remark. */
type Running = { target: Target; deliver: Deliver; extra?: () => Promise<string>; stop(): Promise<void> };

async function measure(name: string, start: () => Promise<Running>) {
  const row: Row = { target: name, errors: 0 };
  if (PHASES.has('throughput') || PHASES.has('latency') || PHASES.has('fresh')) {
    const r = await start();
    try {
      if (PHASES.has('throughput')) {
        for (const batch of [100, 1].filter((b) => BATCHES.has(b))) {
          console.log(`${name}: throughput, batches of ${batch}`);
          const t = await throughput(r.target, batch);
          row[batch === 100 ? 'b100' : 'b1'] = t.alertsPerSecond;
          row[batch === 100 ? 'cpu100' : 'cpu1'] = t.cpuMicros;
          row.errors += t.errors;
        }
      }
      if (PHASES.has('fresh')) {
        console.log(`${name}: new alerts, one per post`);
        const t = await throughput(r.target, 1, bodies(1, 'storm', 'new', 200_000));
        Object.assign(row, { fresh: t.alertsPerSecond, cpuFresh: t.cpuMicros });
        row.errors += t.errors;
      }
      if (PHASES.has('latency')) {
        console.log(`${name}: latency of new alerts under 1,000 alerts/s`);
        Object.assign(row, await latency(r.target, r.deliver));
      }
      if (r.extra) console.log(`  ${await r.extra()}`);
    } finally {
      await r.stop();
    }
  }
  if (PHASES.has('memory')) {
    console.log(`${name}: memory with ${ACTIVE} active alerts, in a fresh process`);
    const r = await start();
    try {
      const mem = await memory(r.target);
      Object.assign(row, { rss: mem.rss, kb: mem.perAlertKB });
    } finally {
      await r.stop();
    }
  }
  rows.push(row);
}

// Alertmanager: the fresh alerts go to a webhook here, everything else to a receiver that sends nothing.
async function startAlertmanager(): Promise<Running> {
  const seen = new Map<string, () => void>();
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      for (const a of (JSON.parse(body) as { alerts: V2Alert[] }).alerts) seen.get(a.labels.instance!)?.();
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookPort = (hook.address() as { port: number }).port;
  const port = await freePort();
  const am: Tool = await startTool(
    '/usr/bin/prometheus-alertmanager',
    {
      'am.yml': `route:
  receiver: none
  group_by: ['...']
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 4h
  routes:
    - matchers: ['bench="fresh"']
      receiver: hook
receivers:
  - name: none
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:${hookPort}/
`,
    },
    (dir) => [
      `--config.file=${join(dir, 'am.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    port,
  );
  return {
    target: {
      name: 'Alertmanager (memory)',
      url: `${am.url}/api/v2/alerts`,
      headers: {},
      pid: am.pid,
      // One Alertmanager takes every tool's alerts at the one address.
      senders: Array.from({ length: SENDERS }, () => `${am.url}/api/v2/alerts`),
    },
    deliver: async (instance, post) => {
      const delivered = new Promise<void>((r) => seen.set(instance, r));
      const t0 = performance.now();
      await post();
      await delivered;
      seen.delete(instance);
      return performance.now() - t0;
    },
    async stop() {
      await am.stop();
      hook.close();
    },
  };
}

const ROUTING = `
routing:
  rules:
    - key: storm
      match: { bench: { regex: "storm|held" } }
      group_by: [alertname]
      group_window: 24h
      severity: P3
    - key: fresh
      match: { bench: fresh }
      group_by: [instance]
      severity: P2
`;

/** A Siaga server on fresh storage, with the bench's routing and one Alertmanager integration. */
async function startSiaga(backend: Backend): Promise<Running> {
  const storage = await freshStorage(backend);
  const server = await startServer({
    ...storage.env,
    SIAGA_ALERTS_RATE: '1000000',
    SIAGA_ALERTS_BURST: '1000000',
  });
  const stop = async () => {
    await server.stop();
    await storage.drop();
  };
  const api = async (path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  try {
    const source = readFileSync(join(ROOT, 'examples/plans/starter.yaml'), 'utf8') + ROUTING;
    await api('/api/v1/plan/versions', { source });
    const integration = await api('/api/v1/integrations', { type: 'alertmanager', name: 'bench' });
    const urlOf = (i: Record<string, unknown>) =>
      `${server.url}/intake/alertmanager/${i.secret}/api/v2/alerts`;
    const senders = [urlOf(integration)];
    for (let s = 2; s <= SENDERS; s++)
      senders.push(urlOf(await api('/api/v1/integrations', { type: 'alertmanager', name: `bench-${s}` })));
    return {
      target: {
        name: `Siaga (${backend})`,
        url: urlOf(integration),
        headers: {},
        pid: server.pid,
        senders,
      },
      deliver: async (_instance, post) => {
        // Acknowledged only once the alert, its routing and its new incident are committed.
        const t0 = performance.now();
        await post();
        return performance.now() - t0;
      },
      extra: async () => {
        const list = (await api('/api/v1/incidents?limit=500')) as { incidents?: unknown[] };
        const size =
          backend === 'postgres'
            ? await (async () => {
                const c = new pg.Client({ connectionString: storage.env.DATABASE_URL });
                await c.connect();
                const r = await c.query('SELECT pg_database_size(current_database()) AS b');
                await c.end();
                return `${(Number(r.rows[0].b) / 2 ** 20).toFixed(0)} MiB database`;
              })()
            : 'embedded database on disk';
        return `open incidents listed: ${list.incidents?.length ?? '?'}; ${size}`;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

if (ONLY.has('alertmanager')) await measure('Alertmanager (memory)', startAlertmanager);
for (const backend of (['pglite', 'postgres'] as Backend[]).filter((b) => ONLY.has(b))) {
  try {
    await measure(`Siaga (${backend})`, () => startSiaga(backend));
  } catch (err) {
    console.log(`  ${backend} failed: ${(err as Error).message}`);
  }
}

const am = rows.find((r) => r.target.startsWith('Alertmanager'));
const table: (string | number)[][] = [
  [
    'target',
    'alerts/s ×100',
    'alerts/s ×1',
    'CPU µs/alert ×100',
    '×1',
    'new alert p50 ms',
    'p99 ms',
    'background alerts/s',
    'RSS MiB',
    'KB/alert',
    'errors',
  ],
];
const fixed = (n: number | undefined, digits: number) => (n === undefined ? '-' : n.toFixed(digits));
const ratio = (r: Row, n: number | undefined, of: number | undefined) =>
  `${fixed(n, 0)}${am && r !== am && n !== undefined && of ? ` (${(n / of).toFixed(2)}×)` : ''}`;
for (const r of rows)
  table.push([
    r.target,
    ratio(r, r.b100, am?.b100),
    ratio(r, r.b1, am?.b1),
    fixed(r.cpu100, 1),
    fixed(r.cpu1, 1),
    fixed(r.p50, 1),
    fixed(r.p99, 1),
    fixed(r.background, 0),
    fixed(r.rss, 0),
    fixed(r.kb, 2),
    r.errors,
  ]);
printTable(table);
if (PHASES.has('fresh')) {
  console.log('\nNew alerts one per post (every label set new, 32 connections):');
  printTable([
    ['target', 'alerts/s', 'CPU µs/alert'],
    ...rows.map((r) => [r.target, ratio(r, r.fresh, am?.fresh), fixed(r.cpuFresh, 1)]),
  ]);
}
