import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackend } from '../../test/support/db.ts';
import { runCli } from '../cli/main.ts';
import type { Database } from '../db/client.ts';
import { loadConfig } from '../server/config.ts';
import { type Running, serve } from '../server/serve.ts';
import type { DrillReport } from './runner.ts';

type Result = { code: number; out: string; err: string };
let baseEnv: NodeJS.ProcessEnv;
let running: Running;
let database: (Database & { url?: string }) | undefined;
const dir = mkdtempSync(join(tmpdir(), 'siaga-drill-'));
const BOOT = 'sgt_bootstrap-token-for-drill-tests';

async function cli(args: string[]): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env: baseEnv });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${BOOT}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

beforeAll(async () => {
  baseEnv = {
    SIAGA_DATA_DIR: join(dir, 'data'),
    PORT: '0',
    SIAGA_BOOTSTRAP_TOKEN: BOOT,
    LOG_LEVEL: 'silent',
  };
  if (testBackend() === 'postgres') {
    database = await createTestDatabase();
    baseEnv.DATABASE_URL = database.url;
  }
  running = await serve(loadConfig(baseEnv), { print: () => {}, environment: baseEnv });
  baseEnv.SIAGA_URL = running.url;
  baseEnv.SIAGA_TOKEN = BOOT;
  expect((await cli(['plan', 'apply', 'examples/plans/rekberkan.yaml'])).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await database?.close();
});

describe('siaga drill run', () => {
  it('runs seed 001 audit chain tamper as a drill incident at high speed and reports its clocks', async () => {
    const file = 'examples/drills/audit-chain-tamper.yaml';
    const human = await cli([
      'drill',
      'run',
      file,
      '--speed',
      '3000',
      '--plan',
      'examples/plans/rekberkan.yaml',
    ]);
    expect(human.err).toBe('');
    expect(human.code).toBe(0);
    const lines = human.out.split('\n');
    const steps = lines.filter((l) => /^\[\s*\d+\/\d+\]/.test(l));
    expect(steps).toHaveLength(19);
    expect(steps[0]).toMatch(
      /^\[ 1\/19\] \+0s +alert +skipped +alert AuditChainVerifyFailed firing not sent: no alert integration URL/,
    );
    expect(steps[1]).toMatch(/^\[ 2\/19\] \+0s +declare +ok +declared INC-\d+ \(drill, security, S2\)/);
    expect(steps[2]).toMatch(/\+1m +ack +ok/);
    expect(human.out).toContain('expect clock response met: passed');
    expect(human.out).toMatch(/tick +ok +ticked "Enable kill-switch \(if necessary\)"/);
    expect(human.out).toMatch(/Drill report: DRILL: audit chain verification failed \(INC-\d+, drill\)/);
    expect(human.out).toMatch(/Clocks:\n {2}response +met/);
    expect(human.out).toContain('Note: run at --speed 3000');
    expect(human.out).toContain('Recorded drill "tabletop" as held.');
    expect(human.out).toMatch(/Drill passed\.$/);

    const ref = /declared (INC-\d+)/.exec(human.out)![1]!;
    const inc = await api<{
      drill: boolean;
      status: string;
      clocks: { key: string; state: string }[];
      roles: { role: string }[];
      updates: { audience: string }[];
    }>(`/api/v1/incidents/${ref}`);
    expect(inc.drill).toBe(true);
    expect(inc.status).toBe('resolved');
    expect(inc.roles.map((r) => r.role).sort()).toEqual(['ic', 'security_lead']);
    expect(inc.updates.map((u) => u.audience)).toEqual(['internal', 'regulators', 'users']);
    expect(inc.clocks.find((c) => c.key === 'response')?.state).toBe('met');
    const { entries } = await api<{ entries: { kind: string; text: string }[] }>(
      `/api/v1/incidents/${ref}/timeline`,
    );
    const kinds = entries.map((e) => e.kind);
    for (const k of ['declared', 'acknowledged', 'note']) expect(kinds).toContain(k);
    expect(entries.some((e) => e.text.includes('kill-switch:enable'))).toBe(true);
    expect(entries.filter((e) => e.kind === 'note' && e.text.startsWith('Runbook'))).toHaveLength(6);
    const { drills } = await api<{ drills: { key: string; last_held: string | null }[] }>('/api/v1/drills');
    expect(drills.find((d) => d.key === 'tabletop')?.last_held).not.toBeNull();
  }, 60_000);

  it('prints a JSON report and exits 1 when an expectation fails', async () => {
    const src = readFileSync('examples/drills/account-takeover.yaml', 'utf8').replace(
      '- { status: resolved }',
      '- { status: closed }',
    );
    const file = join(dir, 'takeover.yaml');
    writeFileSync(file, src);
    const r = await cli(['drill', 'run', file, '--speed', '5000', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as DrillReport;
    expect(report.ok).toBe(false);
    expect(report.compressed).toBe(true);
    const last = report.steps.at(-1)!;
    expect(last).toMatchObject({ action: 'status', outcome: 'failed' });
    expect(last.expectations).toEqual([{ check: 'status closed', passed: false, found: 'resolved' }]);
    expect(report.clocks.find((c) => c.key === 'response')).toMatchObject({ result: 'met' });
  }, 60_000);

  it('runs the ledger mismatch fire drill: every step ok, the S1 "immediate" response target reported missed', async () => {
    const r = await cli([
      'drill',
      'run',
      'examples/drills/ledger-mismatch.yaml',
      '--speed',
      '3000',
      '--json',
    ]);
    const report = JSON.parse(r.out) as DrillReport;
    expect(report.steps.filter((s) => s.outcome === 'failed')).toEqual([]);
    expect(report.steps.filter((s) => s.outcome === 'skipped').map((s) => s.action)).toEqual([
      'alert',
      'alert',
    ]);
    expect(r.code).toBe(0);
    expect(report.clocks.find((c) => c.key === 'response')).toMatchObject({
      result: 'missed',
      state: 'breached',
    });
    expect(report.held).toBe('fire_drill');
  }, 60_000);

  it('sends alert steps to the alert integration URL given on the command line', async () => {
    const got: { status: string; alerts: { labels: Record<string, string> }[] }[] = [];
    const intake = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        got.push(JSON.parse(body));
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => intake.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(intake.address() as AddressInfo).port}/alerts`;
    try {
      const r = await cli([
        'drill',
        'run',
        'examples/drills/ledger-mismatch.yaml',
        '--speed',
        '3000',
        '--alert-url',
        url,
      ]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/\[ 1\/21\] \+0s +alert +ok +alert ReconciliationFailed firing sent \(202\)/);
      expect(got.map((g) => g.status)).toEqual(['firing', 'resolved']);
      expect(got[0]!.alerts[0]!.labels).toMatchObject({ alertname: 'ReconciliationFailed', drill: 'true' });
    } finally {
      intake.close();
    }
  }, 60_000);

  it('refuses a bad file with exit 1 and the line, before touching the server', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      readFileSync('examples/drills/ledger-mismatch.yaml', 'utf8').replace(
        '    ack: true',
        '    ack: yes please',
      ),
    );
    const before = await api<{ incidents: unknown[] }>('/api/v1/incidents');
    const r = await cli(['drill', 'run', file, '--speed', '1000']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bad\.yaml:19:10 +steps\[2\]\.ack +expected "true"/);
    expect((await api<{ incidents: unknown[] }>('/api/v1/incidents')).incidents).toHaveLength(
      before.incidents.length,
    );
    expect((await cli(['drill', 'validate', file])).code).toBe(1);
  });
});
