/**
 * bench:web: what the responders' app costs a browser.
 *   1. gzipped JavaScript and CSS the first screen (log in) loads: index.html's script, styles
 *      and modulepreloads;
 *   2. time to render an incident with BENCH_ENTRIES timeline entries (default 5000) and
 *      BENCH_TASKS tasks (default 200) in headless Chromium, and to scroll the timeline;
 *   3. the page's JS heap and DOM size once rendered.
 * The timeline entries are inserted with one SQL statement (a fixture, not a verb: the bench
 * measures the browser, not 5,000 writes); the tasks go through the API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWeb, WEB_OUT } from '../scripts/build-web.ts';
import { launchChromium, logIn, startWebServer } from '../test/support/browser.ts';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 5000);
const TASKS = Number(process.env.BENCH_TASKS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

await buildWeb({ ifStale: true, quiet: true });

const html = readFileSync(join(WEB_OUT, 'index.html'), 'utf8');
const firstScreen = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
let js = 0;
let css = 0;
for (const f of firstScreen) {
  const gz = gzipSync(readFileSync(join(WEB_OUT, f)), { level: 9 }).length;
  if (f.endsWith('.css')) css += gz;
  else js += gz;
}

const server = await startWebServer();
const auth = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
const post = async (path: string, body: unknown) => {
  const r = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<{ id: string; ref: string; tasks: unknown[] }>;
};
const inc = await post('/api/v1/incidents', { title: 'Long-running ledger mismatch', type: 'outage' });
for (let i = inc.tasks.length; i < TASKS; i++)
  await post(`/api/v1/incidents/${inc.ref}/tasks`, { title: `Reconcile batch ${i}` });
await server.running.env.database.query(
  `INSERT INTO incident_events (id, incident_id, at, actor, kind, text, data)
   SELECT gen_random_uuid(), $1, now() + make_interval(secs => g), '{"type":"user","id":null,"name":"bench"}'::jsonb,
          'note', 'Entry ' || g || ': checked the reconciliation report and the ledger totals for the affected tenants', '{}'::jsonb
   FROM generate_series(1, $2::int) AS g`,
  [inc.id, ENTRIES],
);

const browser = await launchChromium();
const rows: { run: number; renderMs: number; scrollMs: number; heapMb: number; domNodes: number }[] = [];
try {
  for (let run = 1; run <= RUNS; run++) {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await logIn(page, server);
    const renderMs = await page.evaluate(async (ref) => {
      const t0 = performance.now();
      location.hash = `/incidents/${ref}`;
      await new Promise<void>((resolve) => {
        const check = () => {
          const count = document.querySelector('#timeline-title small')?.textContent ?? '';
          if (
            /\d{4,}/.test(count.replace(/\D/g, '')) &&
            document.querySelectorAll('ul.tasks > li').length > 0
          )
            resolve();
          else requestAnimationFrame(check);
        };
        check();
      });
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      return performance.now() - t0;
    }, inc.ref);
    await page
      .waitForFunction(
        (n) => (document.querySelector('#timeline-title small')?.textContent ?? '').includes(String(n)),
        ENTRIES + 1,
        { timeout: 60_000 },
      )
      .catch(() => {});
    const scrollMs = await page.evaluate(async () => {
      const box = document.querySelector('.vlist') as HTMLElement;
      const t0 = performance.now();
      for (let i = 0; i < 20; i++) {
        box.scrollTop = (box.scrollHeight * i) / 20;
        box.dispatchEvent(new Event('scroll'));
        await new Promise((r) => requestAnimationFrame(() => r(null)));
      }
      return (performance.now() - t0) / 20;
    });
    const heapMb = await page.evaluate(
      () =>
        (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize / 2 ** 20,
    );
    const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    rows.push({ run, renderMs, scrollMs, heapMb, domNodes });
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`\nbench:web — ${ENTRIES} timeline entries, ${TASKS} tasks, ${RUNS} runs (headless Chromium)\n`);
console.log('| measure | value |');
console.log('|---|---|');
console.log(`| first screen JS (gzip) | ${kb(js)} |`);
console.log(`| first screen CSS (gzip) | ${kb(css)} |`);
console.log(`| first screen total (gzip; goal < 200 KB) | ${kb(js + css)} |`);
console.log(`| render incident room, median (ms) | ${median(rows.map((r) => r.renderMs)).toFixed(0)} |`);
console.log(
  `| timeline scroll step, median per frame (ms) | ${median(rows.map((r) => r.scrollMs)).toFixed(1)} |`,
);
console.log(`| JS heap after render, median (MB) | ${median(rows.map((r) => r.heapMb)).toFixed(1)} |`);
console.log(`| DOM elements after render | ${median(rows.map((r) => r.domNodes))} |`);
