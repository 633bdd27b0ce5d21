import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/db.ts';
import { worldIn } from '../../test/support/env.ts';
import { withPlan } from '../../test/support/incidents.ts';
import { issueToken } from '../access/verbs.ts';
import { runCli } from '../cli/main.ts';
import type { ZApp } from '../http/server.ts';
import { runVerb } from '../kernel/verb.ts';
import { createRuntime, type Runtime } from '../server/runtime.ts';
import { systemClock } from '../shared/clock.ts';
import { alertsModule } from './module.ts';
import { ALERT_PLAN } from './test/setup.ts';
import { eventually, freePort, startTool, type Tool } from './test/tools.ts';

// Debian's own prometheus and prometheus-alertmanager against a listening Siaga: the alerts
// travel the real wire formats, with real timestamps, so Siaga runs on the system clock here.
const rules = (expr: string) => `groups:
  - name: siaga
    interval: 1s
    rules:
      - alert: AlwaysFiring
        expr: ${expr}
        labels: { severity: critical }
        annotations: { summary: Always firing }
`;

let runtime: Runtime;
let app: ZApp;
let base: string;
let token: string;
let prometheus: Tool;
let alertmanager: Tool;

async function api<T>(path: string): Promise<T> {
  const r = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return (await r.json()) as T;
}
async function post(path: string, body: unknown) {
  const r = await fetch(base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await r.json()) as { secret: string };
}

type Incident = { ref: string; severity: string; status: string };
type Alert = { source: string; status: string; incident_id: string | null };

beforeAll(async () => {
  const database = await createTestDatabase();
  runtime = createRuntime(database, {
    clock: systemClock,
    log: pino({ level: 'silent' }),
    publicUrl: 'http://siaga.test',
    modules: [alertsModule({})],
  });
  app = await runtime.start();
  const w = await worldIn(runtime.env, 'acme');
  await withPlan(w, ALERT_PLAN);
  token = (await runVerb(w.env, w.admin.scope, (ctx) => issueToken(ctx, { userId: w.admin.id, name: 't' })))
    .token;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const siagaPort = (app.server.address() as { port: number }).port;
  base = `http://127.0.0.1:${siagaPort}`;

  const direct = await post('/api/v1/integrations', { type: 'alertmanager', name: 'prometheus' });
  const hook = await post('/api/v1/integrations', { type: 'alertmanager', name: 'am-webhook' });
  const pd = await post('/api/v1/integrations', { type: 'pagerduty', name: 'am-pagerduty' });

  const amPort = await freePort();
  alertmanager = await startTool(
    '/usr/bin/prometheus-alertmanager',
    {
      'am.yml': `route:
  receiver: webhook
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - { receiver: webhook, continue: true }
    - { receiver: pagerduty }
receivers:
  - name: webhook
    webhook_configs:
      - url: ${base}/intake/alertmanager/${hook.secret}
        send_resolved: true
  - name: pagerduty
    pagerduty_configs:
      - routing_key: ${pd.secret}
        url: ${base}/intake/pagerduty/v2/enqueue
        send_resolved: true
`,
    },
    (dir) => [
      `--config.file=${join(dir, 'am.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ],
    amPort,
  );
  const promPort = await freePort();
  prometheus = await startTool(
    '/usr/bin/prometheus',
    {
      'rules.yml': rules('vector(1)'),
      'prometheus.yml': `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - api_version: v2
      path_prefix: /intake/alertmanager
      authorization: { type: Bearer, credentials: ${direct.secret} }
      static_configs: [{ targets: ['127.0.0.1:${siagaPort}'] }]
    - api_version: v2
      static_configs: [{ targets: ['127.0.0.1:${amPort}'] }]
`,
    },
    (dir) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--web.enable-lifecycle',
      '--rules.alert.resend-delay=1s',
    ],
    promPort,
  );
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  await runtime?.stop();
  await runtime?.env.database.close();
});

describe('Prometheus and Alertmanager, the real ones', () => {
  it('an always-firing rule opens incidents by every path, and its end resolves them', async () => {
    const sources = ['integration:prometheus', 'integration:am-webhook', 'integration:am-pagerduty'];
    const firing = await eventually(async () => {
      const { alerts } = await api<{ alerts: Alert[] }>('/api/v1/alerts');
      const seen = sources.map((s) =>
        alerts.find((a) => a.source === s && a.status === 'firing' && a.incident_id),
      );
      return seen.every(Boolean) ? (seen as Alert[]) : undefined;
    }, 'firing alerts from Prometheus, the Alertmanager webhook and pagerduty_configs');
    // Prometheus directly and Alertmanager's webhook carry the same alertname: one incident.
    expect(firing[0]!.incident_id).toBe(firing[1]!.incident_id);
    const { incidents } = await api<{ incidents: (Incident & { id?: string })[] }>(
      '/api/v1/incidents?status=all',
    );
    expect(incidents).toHaveLength(2);
    // critical → P1 by the prometheus rule; PagerDuty's "error" (Alertmanager's default) → P1 too.
    expect(incidents.map((i) => i.severity)).toEqual(['P1', 'P1']);

    await writeFile(join(prometheus.dir, 'rules.yml'), rules('vector(0) == 1'));
    const reload = await fetch(`${prometheus.url}/-/reload`, { method: 'POST' });
    expect(reload.ok).toBe(true);

    await eventually(async () => {
      const { alerts } = await api<{ alerts: Alert[] }>('/api/v1/alerts');
      return sources.every((s) => alerts.some((a) => a.source === s && a.status === 'resolved'))
        ? true
        : undefined;
    }, 'resolutions by every path');
    const after = await api<{ incidents: Incident[] }>('/api/v1/incidents?status=all');
    expect(after.incidents.map((i) => i.status)).toEqual(['monitoring', 'monitoring']);
  }, 120_000);

  it('siaga integration and silence commands drive the same API', async () => {
    const out: string[] = [];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => out.push(t),
      env: { SIAGA_URL: base, SIAGA_TOKEN: token },
      readInput: async (path: string) => {
        const files: Record<string, string> = {
          'kuma.yaml': 'title: $.name\nstatus: $.state\nresolved_values: [UP]\n',
          'typo.yaml': 'title: $.name\nstauts: $.state\n',
        };
        if (!(path in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
        return files[path]!;
      },
    };
    expect(await runCli(['integration', 'create', '--type', 'webhook', '--name', 'kuma'], io)).toBe(1);
    expect(out.join('\n')).toContain('--type webhook needs --mapping FILE');
    out.length = 0;
    expect(
      await runCli(
        ['integration', 'create', '-t', 'webhook', '-n', 'kuma', '--mapping', 'kuma.yaml', '--json'],
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(out.pop()!).mapping).toMatchObject({ title: '$.name', resolved_values: ['UP'] });
    expect(await runCli(['integration', 'mapping', 'kuma', 'typo.yaml'], io)).toBe(1);
    expect(out.join('\n')).toContain('stauts');
    expect(await runCli(['integration', 'mapping', 'kuma', 'nope.yaml'], io)).toBe(1);
    expect(out.join('\n')).toContain('cannot read nope.yaml: no such file');
    out.length = 0;
    expect(
      await runCli(['integration', 'create', '--type', 'pagerduty', '--name', 'cli', '--json'], io),
    ).toBe(0);
    const created = JSON.parse(out.pop()!);
    expect(created.endpoints).toEqual({
      url: 'http://siaga.test/intake/pagerduty/v2/enqueue',
      routing_key: created.secret,
    });
    expect(await runCli(['integration', 'rotate', 'cli', '--json'], io)).toBe(0);
    const rotated = JSON.parse(out.pop()!);
    expect(rotated.secret).not.toBe(created.secret);
    expect(await runCli(['integration', 'disable', 'cli'], io)).toBe(0);
    expect(await runCli(['integration', 'list'], io)).toBe(0);
    expect(out.pop()).toMatch(/cli\s+pagerduty\s+disabled/);
    expect(await runCli(['integration', 'create', '--type', 'pagerduty', '--name', 'cli'], io)).toBe(1);
    expect(out.join('\n')).toContain('already exists');
    expect(
      await runCli(
        [
          'silence',
          'create',
          '--match',
          'alertname=~Disk.*',
          '--for',
          '2h',
          '--reason',
          'disk swap',
          '--json',
        ],
        io,
      ),
    ).toBe(0);
    const silence = JSON.parse(out.pop()!);
    expect(silence).toMatchObject({ matchers: { alertname: { regex: 'Disk.*' } }, state: 'active' });
    expect(await runCli(['silence', 'expire', silence.id], io)).toBe(0);
  });
});
