import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackend } from '../../test/support/db.ts';
import { FIXTURE_PLAN } from '../../test/support/incidents.ts';
import type { Database } from '../db/client.ts';
import { loadConfig } from '../server/config.ts';
import { type Running, serve } from '../server/serve.ts';
import { runCli } from './main.ts';

type Result = { code: number; out: string; err: string };
let baseEnv: NodeJS.ProcessEnv;
let running: Running;
let database: (Database & { url?: string }) | undefined;
const dir = mkdtempSync(join(tmpdir(), 'siaga-cli-'));
const BOOT = 'sgt_bootstrap-token-for-cli-tests';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { ...baseEnv, ...env },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
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
  const lines: string[] = [];
  running = await serve(loadConfig(baseEnv), { print: (l) => lines.push(l), environment: baseEnv });
  expect(lines.join('\n')).toMatch(/First start: created the "default" workspace/);
  baseEnv.SIAGA_URL = running.url;
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await database?.close();
});

const withToken = { SIAGA_TOKEN: BOOT };

describe('siaga CLI', () => {
  it('prints help, and a usable message for an unknown command or a missing argument', async () => {
    expect((await cli(['--help'])).out).toContain('incident declare');
    expect((await cli(['incident', 'declare', '--help'])).out).toContain('--severity');
    const unknown = await cli(['incidnet']);
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.err).toContain('unknown command "incidnet"');
    const missing = await cli(['plan', 'validate']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('missing FILE');
  });

  it('validates plan files with exit status and line:column problems', async () => {
    expect((await cli(['plan', 'validate', 'examples/plans/rekberkan.yaml'])).code).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, FIXTURE_PLAN.replace('response_target: 1h', 'respone_target: 1h'));
    const r = await cli(['plan', 'validate', bad]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bad\.yaml:\d+:\d+ +severities\[1\]\.respone_target/);
    expect(r.out).toContain('did you mean "response_target"');
    expect((await cli(['plan', 'validate', join(dir, 'nope.yaml')])).err).toContain('no such file');
  });

  it('renders a plan as Markdown', async () => {
    const r = await cli(['plan', 'render', 'examples/plans/vpn.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# /);
  });

  it('runs the responder commands over HTTP with SIAGA_URL and SIAGA_TOKEN', async () => {
    const noToken = await cli(['incident', 'list']);
    expect(noToken.code).toBe(1);
    expect(noToken.err).toContain('SIAGA_TOKEN is not set');
    const declared = await cli(
      ['incident', 'declare', 'Checkout failing', '--type', 'outage', '--severity', 'P2', '--json'],
      withToken,
    );
    expect(declared.code).toBe(0);
    const inc = JSON.parse(declared.out);
    expect(inc).toMatchObject({ title: 'Checkout failing', severity: 'P2' });
    const bad = await cli(['incident', 'declare', 'x', '--type', 'outgae'], withToken);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/type: unknown incident type "outgae"; did you mean "outage"\?/);
    expect((await cli(['incident', 'ack', inc.ref], withToken)).code).toBe(0);
    const upd = await cli(['incident', 'update', inc.ref, '--audience', 'internal', '--preview'], withToken);
    expect(upd.out).toContain(`Checkout failing`);
    expect((await cli(['incident', 'update', inc.ref, '--audience', 'internal'], withToken)).code).toBe(0);
    const refused = await cli(['incident', 'status', inc.ref, 'closed'], withToken);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('cannot go from investigating to closed');
    expect((await cli(['incident', 'resolve', inc.ref, '--reason', 'rolled back'], withToken)).code).toBe(0);
    const shown = await cli(['incident', 'show', inc.ref], withToken);
    expect(shown.out).toContain('status resolved');
    expect(shown.out).toMatch(/Response target .* met/);
    const listed = await cli(['incident', 'list', '--status', 'all', '--json'], withToken);
    expect(JSON.parse(listed.out).map((i: { ref: string }) => i.ref)).toContain(inc.ref);
    const tl = await cli(['incident', 'timeline', inc.ref, '--json'], withToken);
    // Other capabilities (escalation, post-mortems) add their own entries between these.
    const kinds: string[] = JSON.parse(tl.out).map((e: { kind: string }) => e.kind);
    const lifecycle = ['declared', 'acknowledged', 'update_posted', 'status_changed'];
    expect(kinds.filter((k) => lifecycle.includes(k))).toEqual(lifecycle);
    const human = await cli(['incident', 'timeline', inc.ref], withToken);
    expect(human.out.split('\n')).toHaveLength(kinds.length);
  });

  it('takes an override for a schedule, and says what to fix when the period is unclear', async () => {
    const headers = { authorization: `Bearer ${BOOT}`, 'content-type': 'application/json' };
    const me = (await (await fetch(`${running.url}/api/v1/me`, { headers })).json()) as { email: string };
    const member = await fetch(`${running.url}/api/v1/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'bob@example.com', name: 'Bob', role: 'responder' }),
    });
    expect(member.status, await member.text()).toBe(201);
    const put = await fetch(`${running.url}/api/v1/schedules/night`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        name: 'Night',
        layers: [{ participants: ['bob@example.com'], shift: '1w', handoff: '09:00', start: '2026-01-01' }],
      }),
    });
    expect(put.status, await put.text()).toBe(200);
    const noUser = await cli(['oncall', 'override', 'night', '--for', '2h'], withToken);
    expect(noUser).toMatchObject({ code: 1 });
    expect(noUser.err).toContain('--user EMAIL is required');
    const badFor = await cli(['oncall', 'override', 'night', '-u', me.email, '--for', '2 hours'], withToken);
    expect(badFor.code).toBe(1);
    expect(badFor.err).toContain('--for: "2 hours" is not a duration');
    const neither = await cli(['oncall', 'override', 'night', '-u', me.email], withToken);
    expect(neither.err).toContain('--for DURATION');
    const stranger = await cli(
      ['oncall', 'override', 'night', '-u', 'eve@example.com', '--for', '2h'],
      withToken,
    );
    expect(stranger.code).toBe(1);
    expect(stranger.err).toContain('eve@example.com is not a member of this workspace');
    const took = await cli(
      ['oncall', 'override', 'night', '-u', me.email, '--for', '2h', '--json'],
      withToken,
    );
    expect(took.code, took.err).toBe(0);
    const o = JSON.parse(took.out);
    expect(Date.parse(o.to) - Date.parse(o.from)).toBe(7_200_000);
    const now = JSON.parse((await cli(['oncall', 'now', 'night', '--json'], withToken)).out);
    expect(now.on_call[0].people).toEqual([me.email]);
    const later = new Date(Date.parse(o.to) + 60_000).toISOString();
    const after = JSON.parse((await cli(['oncall', 'now', 'night', '--at', later, '--json'], withToken)).out);
    expect(after.on_call[0].people).toEqual(['bob@example.com']);

    // Taken by mistake: listed with its id, and taken back from the terminal.
    const listed = await cli(['oncall', 'overrides', 'night'], withToken);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toContain(o.id);
    expect(listed.out).toContain(me.email);
    const cancelled = await cli(['oncall', 'cancel-override', 'night', o.id], withToken);
    expect(cancelled.code, cancelled.err).toBe(0);
    expect(cancelled.out).toMatch(/ended at .*; the rotation has the schedule again/);
    const back = JSON.parse((await cli(['oncall', 'now', 'night', '--json'], withToken)).out);
    expect(back.on_call[0].people).toEqual(['bob@example.com']);
    expect((await cli(['oncall', 'overrides', 'night'], withToken)).out).toContain('No override of night');
    const twice = await cli(['oncall', 'cancel-override', 'night', o.id], withToken);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('already ended');
  });

  it('sends admin commands through the running server, or stops, instead of opening its database twice', async () => {
    const plan = join(dir, 'plan.yaml');
    writeFileSync(plan, FIXTURE_PLAN);
    if (testBackend() === 'pglite') {
      const stopped = await cli(['plan', 'apply', plan]);
      expect(stopped.code).toBe(1);
      expect(stopped.err).toMatch(/is in use by a running Siaga server \(pid \d+, http:\/\//);
      expect(stopped.err).toContain('Set SIAGA_TOKEN');
      const migrate = await cli(['migrate']);
      expect(migrate.code).toBe(1);
      expect(migrate.err).toContain('Stop the server first');
    }
    const applied = await cli(['plan', 'apply', plan, '--json'], withToken);
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.out).version.version).toBe(2);
    const again = await cli(['plan', 'apply', plan], withToken);
    expect(again.out).toContain('Unchanged');
    const verify = await cli(['audit', 'verify'], withToken);
    expect(verify).toMatchObject({ code: 0 });
    expect(verify.out).toMatch(/Audit chain intact: \d+ records verified/);
    const out = join(dir, 'audit.jsonl');
    expect((await cli(['audit', 'export', '--out', out], withToken)).code).toBe(0);
  });

  it('backs up the database and restores it elsewhere', async () => {
    const file = join(dir, testBackend() === 'pglite' ? 'backup.tar.gz' : 'backup.dump');
    const backup = await cli(['backup', file], withToken);
    expect(backup.code, backup.err).toBe(0);
    expect(backup.out).toMatch(/Wrote .* MiB/);
    let target: NodeJS.ProcessEnv;
    let other: Database | undefined;
    if (testBackend() === 'pglite') {
      target = { SIAGA_DATA_DIR: join(dir, 'restored'), DATABASE_URL: undefined };
    } else {
      other = await createTestDatabase();
      await other.exec(
        'DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS pgboss CASCADE',
      );
      target = { DATABASE_URL: other.url };
      expect((await cli(['restore', file], target)).err).toContain('pass --force');
    }
    const restored = await cli(['restore', file, '--force'], target);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toContain('Restored');
    const verify = await cli(['audit', 'verify', '--json'], target);
    expect(JSON.parse(verify.out)).toMatchObject({ ok: true });
    const workspaces = await cli(['workspace', 'list', '--json'], target);
    expect(JSON.parse(workspaces.out).map((w: { slug: string }) => w.slug)).toEqual(['default']);
    if (testBackend() === 'pglite') {
      const again = await cli(['restore', file], target);
      expect(again.err).toContain('already holds a database');
    }
    await other?.close();
  });
});
