/**
 * bench:statuspage — the public page under a crowd: HTML and summary.json at 64 connections,
 * beside nginx serving the same bytes as static files, then while an update is published every
 * second, then with a unique query string on every request (which must not bypass the cache).
 *   npm run bench:statuspage [-- --seconds 20 --connections 64]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freshStorage, printTable, startServer, TOKEN } from './support.ts';
import { haveWrk, runWrk } from './wrk.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '64' } },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function api(url: string, method: string, path: string, body: unknown) {
  const r = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<Record<string, string>>;
}

// autocannon runs in Node on one of the two cores, so it caps nginx far below what it serves.
const useWrk = haveWrk();
if (!useWrk)
  console.warn('warning: wrk is not on PATH; using autocannon, which is itself the bottleneck for nginx');

async function run(label: string, url: string, unique = false) {
  if (useWrk) {
    const w = await runWrk(url, { connections, seconds, unique });
    return [label, w.rps, w.p99, w.errors];
  }
  const r = await autocannon({
    url: unique ? `${url}?v=[<id>]` : url,
    connections,
    duration: seconds,
    idReplacement: unique,
  });
  return [label, Math.round(r.requests.average), r.latency.p99, r.non2xx + r.errors];
}

const storage = await freshStorage('pglite');
const server = await startServer(storage.env);
const dir = mkdtempSync(join(tmpdir(), 'siaga-nginx-'));
let nginx: ReturnType<typeof spawn> | undefined;
try {
  await api(server.url, 'POST', '/api/v1/statuspage/pages', { slug: 'bench', name: 'Bench Status' });
  const comps = [];
  for (const name of ['API', 'Checkout', 'Search', 'Dashboard', 'Webhooks', 'Mobile'])
    comps.push(await api(server.url, 'POST', '/api/v1/statuspage/pages/bench/components', { name }));
  const inc = await api(server.url, 'POST', '/api/v1/statuspage/pages/bench/incidents', {
    name: 'Elevated error rates',
    impact: 'minor',
    body: 'We are investigating elevated error rates on checkout.',
    components: { [comps[1]!.id!]: 'degraded_performance' },
  });
  await new Promise((r) => setTimeout(r, 1500));
  const html = `${server.url}/status/bench/`;
  const summary = `${server.url}/status/bench/api/v2/summary.json`;
  const htmlBody = await (await fetch(html)).text();
  writeFileSync(join(dir, 'index.html'), htmlBody);
  writeFileSync(join(dir, 'summary.json'), await (await fetch(summary)).text());
  const port = await freePort();
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 100000;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  types { text/html html; application/json json; }
  server { listen 127.0.0.1:${port}; root ${dir}; etag on; } }`,
  );
  nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: 'inherit',
  });
  await new Promise((r) => setTimeout(r, 500));
  const ng = `http://127.0.0.1:${port}`;
  const rows: (string | number)[][] = [['case', 'req/s', 'p99 ms', 'errors']];
  console.log(
    `HTML page ${Buffer.byteLength(htmlBody)} bytes; ${seconds} s per case, ${connections} connections, ${useWrk ? 'wrk' : 'autocannon'}`,
  );
  rows.push(await run('nginx static HTML', `${ng}/index.html`));
  rows.push(await run('siaga HTML', html));
  rows.push(await run('nginx static summary.json', `${ng}/summary.json`));
  rows.push(await run('siaga summary.json', summary));
  let n = 0;
  const publisher = setInterval(() => {
    n++;
    void api(server.url, 'POST', `/api/v1/statuspage/pages/bench/incidents/${inc.id}/updates`, {
      status: 'identified',
      body: `Update ${n}: a fix is being deployed.`,
    }).catch((e) => console.error(e));
  }, 1000);
  rows.push(await run('siaga HTML, update every 1 s', html));
  rows.push(await run('siaga summary.json, update every 1 s', summary));
  clearInterval(publisher);
  rows.push(await run('siaga HTML, unique query string', html, true));
  rows.push(await run('siaga summary.json, unique query string', summary, true));
  rows.push(await run('nginx static HTML, unique query string', `${ng}/index.html`, true));
  printTable(rows);
  console.log(`${n} updates published during the update runs`);
} finally {
  nginx?.kill('SIGTERM');
  await server.stop();
  await storage.drop();
  rmSync(dir, { recursive: true, force: true });
}
