/**
 * A real server process, real time, second-scale steps: the process is SIGKILLed mid-escalation
 * and started again on the same data directory; every step that came due pages exactly once.
 * Pages are counted from the escalation's own page rows (one per dedup key, written in the same
 * transaction as the hand-over to the notifier).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPlan } from '../../test/support/incidents.ts';

const TOKEN = 'sgt_restart_test_token_0123456789';
const dir = mkdtempSync(join(tmpdir(), 'siaga-restart-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function start(port: number): Promise<ChildProcess> {
  const p = spawn(process.execPath, ['src/cli/main.ts', 'serve'], {
    env: {
      ...process.env,
      SIAGA_DATA_DIR: dir,
      PORT: String(port),
      SIAGA_BOOTSTRAP_TOKEN: TOKEN,
      LOG_LEVEL: 'error',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return p;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('escalation across a SIGKILL', () => {
  it('pages each due step exactly once after the server is killed and restarted', {
    timeout: 180_000,
  }, async () => {
    const port = await freePort();
    const api = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await r.json();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };
    child = await start(port);
    const plan = readPlan('vpn.yaml')
      .replace('after: 0m', 'after: 0s')
      .replace('after: 15m', 'after: 3s')
      .replace('after: 30m', 'after: 6s')
      .replace('after: 60m', 'after: 9s');
    await api('POST', '/api/v1/plan/versions', { source: plan });
    const admin = { user: 'admin@siaga.local' };
    await api('PUT', '/api/v1/oncall/file', {
      source: `siaga_oncall: oncall/1\nroles:\n  on_call: ${JSON.stringify(admin)}\ncontacts:\n  team_lead: ${JSON.stringify(admin)}\n  engineering_manager: ${JSON.stringify(admin)}\n  cto: ${JSON.stringify(admin)}\n`,
    });
    const inc = await api('POST', '/api/v1/incidents', {
      title: 'VPN down',
      type: 'vpn_api_failure',
      severity: 'P0',
    });
    await sleep(4500);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = await start(port);
    // Every step is due by 9s; allow the restart and a poll or two.
    let esc: { steps: { state: string }[]; pages: { dedup_key: string }[] } = { steps: [], pages: [] };
    for (let i = 0; i < 120; i++) {
      esc = await api('GET', `/api/v1/incidents/${inc.ref}/escalation`);
      if (esc.steps.every((s) => s.state === 'done')) break;
      await sleep(250);
    }
    expect(
      esc.steps.map((s) => s.state),
      'killed after the 0s and 3s steps were due',
    ).toEqual(['done', 'done', 'done', 'done']);
    await sleep(1500);
    esc = await api('GET', `/api/v1/incidents/${inc.ref}/escalation`);
    expect(esc.pages).toHaveLength(4);
    expect(new Set(esc.pages.map((p) => p.dedup_key)).size).toBe(4);
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;
  });
});
