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
 *   --phases webhook adds Siaga's generic webhook (a tool's own JSON, mapped by the plan), one
 *   alert per post over 10,000 jobs, and --phases pagerduty its PagerDuty Events API (triggers
 *   over 10,000 dedup keys): Alertmanager has neither endpoint, so Siaga runs alone;
 *   --batches 1 measures throughput in batches of 1 only;
 *   --senders 5 spreads the latency phase's background over 5 integrations, as when several
 *   tools storm at once: 1, 2, 5 or 10)
 * Memory is measured in a fresh process of each target, so what the load phases left on the heap
 * does not count as the held alerts' cost.
 */

import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import {
  type Deliver,
  type Running,
  startAlertmanager,
  startSiaga,
  type Target,
  type V2Alert,
} from './ingest-targets.ts';
import { type Backend, cpuSeconds, printTable, rssMiB } from './support.ts';

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

const alert = (bench: string, instance: string): V2Alert => ({
  labels: { alertname: 'BenchLoad', bench, instance, severity: 'warning', job: 'node' },
  annotations: { summary: `Load on ${instance}` },
});
/** Bodies that together cover the label sets once, cycled by the load generator. */
const bodies = (batch: number, bench = 'storm', prefix = 'host', sets = LABEL_SETS) =>
  Array.from({ length: sets / batch }, (_, b) =>
    JSON.stringify(Array.from({ length: batch }, (_, j) => alert(bench, `${prefix}-${b * batch + j}`))),
  );

/**
 * `list`: the bodies to cycle. The fresh phase's cover more label sets than any target posts in
 * a phase, so every alert in it is new.
 */
async function throughput(t: Target, batch: number, list = bodies(batch), url = t.url) {
  let i = 0;
  const cpu0 = cpuSeconds(t.pid);
  const r = await autocannon({
    url,
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

/** Each body once, eight at a time. */
async function postEach(url: string, list: string[]) {
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < list.length; k = next++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: list[k],
      });
      if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

/** New alerts one at a time while a background load posts 1,000 alerts/s in batches of 100. */
async function latency(t: Target, deliver: Deliver) {
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
  hook?: number;
  cpuHook?: number;
  pd?: number;
  cpuPd?: number;
  errors: number;
};
const rows: Row[] = [];

async function measure(name: string, start: () => Promise<Running>) {
  const row: Row = { target: name, errors: 0 };
  if (['throughput', 'latency', 'fresh', 'webhook', 'pagerduty'].some((p) => PHASES.has(p))) {
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
      if (PHASES.has('webhook') && r.target.webhook) {
        console.log(`${name}: generic webhook, one alert per post`);
        // Stored once first, so the phase measures a tool re-sending what is still failing.
        const jobs = Array.from({ length: LABEL_SETS }, (_, i) =>
          JSON.stringify({ job: { title: `Job ${i} failed`, name: `job-${i}`, bench: 'storm' } }),
        );
        await postEach(r.target.webhook, jobs);
        const t = await throughput(r.target, 1, jobs, r.target.webhook);
        Object.assign(row, { hook: t.alertsPerSecond, cpuHook: t.cpuMicros });
        row.errors += t.errors;
      }
      const pd = r.target.pagerduty;
      if (PHASES.has('pagerduty') && pd) {
        console.log(`${name}: PagerDuty Events API, one event per post`);
        const events = Array.from({ length: LABEL_SETS }, (_, i) =>
          JSON.stringify({
            routing_key: pd.key,
            event_action: 'trigger',
            dedup_key: `job-${i}`,
            payload: {
              summary: `Job ${i} failed`,
              source: 'bench',
              severity: 'error',
              class: 'bench',
            },
          }),
        );
        await postEach(pd.url, events);
        const t = await throughput(r.target, 1, events, pd.url);
        Object.assign(row, { pd: t.alertsPerSecond, cpuPd: t.cpuMicros });
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

if (ONLY.has('alertmanager')) await measure('Alertmanager (memory)', () => startAlertmanager(SENDERS));
for (const backend of (['pglite', 'postgres'] as Backend[]).filter((b) => ONLY.has(b))) {
  try {
    await measure(`Siaga (${backend})`, () => startSiaga(backend, SENDERS));
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
if (PHASES.has('webhook')) {
  console.log('\nGeneric webhook, one alert per post, repeats of 10,000 jobs (32 connections):');
  printTable([
    ['target', 'alerts/s', 'CPU µs/alert'],
    ...rows.filter((r) => r.hook !== undefined).map((r) => [r.target, fixed(r.hook, 0), fixed(r.cpuHook, 1)]),
  ]);
}
if (PHASES.has('pagerduty')) {
  console.log('\nPagerDuty Events API, one trigger per post, repeats of 10,000 dedup keys (32 connections):');
  printTable([
    ['target', 'alerts/s', 'CPU µs/alert'],
    ...rows.filter((r) => r.pd !== undefined).map((r) => [r.target, fixed(r.pd, 0), fixed(r.cpuPd, 1)]),
  ]);
}
if (PHASES.has('fresh')) {
  console.log('\nNew alerts one per post (every label set new, 32 connections):');
  printTable([
    ['target', 'alerts/s', 'CPU µs/alert'],
    ...rows.map((r) => [r.target, ratio(r, r.fresh, am?.fresh), fixed(r.cpuFresh, 1)]),
  ]);
}
