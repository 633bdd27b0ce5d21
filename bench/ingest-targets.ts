/**
 * The targets bench:ingest measures: Debian's Alertmanager, and Siaga on either backend with the
 * bench's routing and Alertmanager integrations. Each says where to post and how a fresh
 * alert's delivery is timed.
 */

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, startTool, type Tool } from '../src/alerts/test/tools.ts';
import { type Backend, freshStorage, ROOT, startServer, TOKEN } from './support.ts';

export type V2Alert = { labels: Record<string, string>; annotations: Record<string, string> };
/**
 * `senders`: where the latency phase's background load posts, one URL per sending tool.
 * `webhook`: Siaga's generic webhook endpoint, mapped by the plan (`--phases webhook`);
 * `pagerduty`: its PagerDuty Events API endpoint and routing key (`--phases pagerduty`).
 */
export type Target = {
  name: string;
  url: string;
  headers: Record<string, string>;
  pid: number;
  senders?: string[];
  webhook?: string;
  pagerduty?: { url: string; key: string };
};
/** Posts one fresh alert (`post`) and resolves with the milliseconds until it was delivered. */
export type Deliver = (instance: string, post: () => Promise<void>) => Promise<number>;
/** One running target: where to post, how a fresh alert's delivery is timed, and a closing remark. */
export type Running = {
  target: Target;
  deliver: Deliver;
  extra?: () => Promise<string>;
  stop(): Promise<void>;
};

// Alertmanager: the fresh alerts go to a webhook here, everything else to a receiver that sends nothing.
export async function startAlertmanager(senders: number): Promise<Running> {
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
      senders: Array.from({ length: senders }, () => `${am.url}/api/v2/alerts`),
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
  webhooks:
    hook:
      title: $.job.title
      labels: { job: $.job.name, bench: $.job.bench }
  rules:
    - key: storm
      match: { bench: { regex: "storm|held" } }
      group_by: [alertname]
      group_window: 24h
      severity: P3
    - key: pagerduty
      match: { class: bench }
      group_by: [class]
      group_window: 24h
      severity: P3
    - key: fresh
      match: { bench: fresh }
      group_by: [instance]
      severity: P2
`;

/** A Siaga server on fresh storage, with the bench's routing and one Alertmanager integration. */
export async function startSiaga(backend: Backend, senders: number): Promise<Running> {
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
    const urls = [urlOf(integration)];
    for (let s = 2; s <= senders; s++)
      urls.push(urlOf(await api('/api/v1/integrations', { type: 'alertmanager', name: `bench-${s}` })));
    // Its mapping is the plan's (routing.webhooks.hook), as a team would write it once for a tool.
    const hook = await api('/api/v1/integrations', { type: 'webhook', name: 'hook' });
    const pd = await api('/api/v1/integrations', { type: 'pagerduty', name: 'pd' });
    return {
      target: {
        name: `Siaga (${backend})`,
        url: urlOf(integration),
        headers: {},
        pid: server.pid,
        senders: urls,
        webhook: `${server.url}/intake/webhook/${hook.secret}`,
        pagerduty: { url: `${server.url}/intake/pagerduty/v2/enqueue`, key: String(pd.secret) },
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
