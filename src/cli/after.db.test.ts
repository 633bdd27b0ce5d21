import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackend } from '../../test/support/db.ts';
import type { Database } from '../db/client.ts';
import { loadConfig } from '../server/config.ts';
import { type Running, serve } from '../server/serve.ts';
import { runCli } from './main.ts';

let baseEnv: NodeJS.ProcessEnv;
let running: Running;
let database: (Database & { url?: string }) | undefined;
const dir = mkdtempSync(join(tmpdir(), 'siaga-after-'));
const BOOT = 'sgt_bootstrap-token-for-after-tests';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { ...baseEnv, SIAGA_TOKEN: BOOT },
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
  running = await serve(loadConfig(baseEnv), { print: () => {}, environment: baseEnv });
  baseEnv.SIAGA_URL = running.url;
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await database?.close();
});

describe('siaga after the incident, against a running server', () => {
  it('resolving a P1 drafts its post-mortem; export writes one file per incident; log and metrics print', async () => {
    expect(
      (await cli(['incident', 'declare', 'Checkout failing', '--type', 'outage', '--severity', 'P1'])).code,
    ).toBe(0);
    expect((await cli(['incident', 'ack', 'INC-1'])).code).toBe(0);
    const resolved = await cli(['incident', 'resolve', 'INC-1']);
    expect(resolved.code, resolved.err).toBe(0);

    const list = await cli(['postmortem', 'list']);
    expect(list.out).toMatch(/INC-1\s+draft/);
    const out = join(dir, 'docs', 'postmortem');
    const all = await cli(['postmortem', 'export', '--all', '--dir', out]);
    expect(all.code, all.err).toBe(0);
    const file = readFileSync(join(out, 'INC-1.md'), 'utf8');
    expect(file).toMatch(/^---\nincident: INC-1\n/);
    expect(file).toContain('state: draft');

    const bad = await cli(['postmortem', 'export', 'INC-1', '--format', 'docx']);
    expect(bad.code).toBe(1);
    const missing = await cli(['postmortem', 'export', 'INC-9']);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.err).toContain('not found');

    const csv = await cli(['incident', 'log', '--csv']);
    expect(csv.out.split('\r\n')[0]).toBe('Date,Incident,Type,Severity,Impact,Resolution,Post-Mortem');
    expect(csv.out).toContain(`,INC-1,`);
    expect(csv.out).toContain('/incidents/INC-1/postmortem');

    const m = await cli(['metrics', '--by', 'severity']);
    expect(m.code, m.err).toBe(0);
    expect(m.out).toContain('P1: 1 incidents, 1 acknowledged, 1 resolved');
    expect((await cli(['drill', 'list'])).code).toBe(0);
    expect((await cli(['action-items'])).out).toContain('INCIDENT');
  });
});
