import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { runVerb } from '../kernel/verb.ts';
import { exportChain } from './export.ts';
import { verifyWorkspace } from './verify.ts';

let w: TestWorld;

async function appendN(n: number) {
  for (let i = 0; i < n; i++) {
    w.clock.advance(1000);
    await runVerb(w.env, w.admin.scope, async (ctx) => {
      ctx.audit('test.event', 'thing', `t${i}`, { i, note: `event ${i}`, nested: { b: 2, a: [1, 'x'] } });
    });
  }
}

/** Tampering needs the triggers out of the way, as an attacker with superuser rights would do. */
async function tamper(sql: string) {
  await w.database.exec(
    `BEGIN; ALTER TABLE audit_log DISABLE TRIGGER USER; ${sql}; ALTER TABLE audit_log ENABLE TRIGGER USER; COMMIT;`,
  );
}

const ws = () => `'${w.workspaceId}'`;

beforeEach(async () => {
  w = await createWorld();
  await appendN(8);
});
afterEach(() => w.close());

describe('audit chain', () => {
  it('records every verb and verifies intact', async () => {
    const result = await verifyWorkspace(w.database.db, w.workspaceId);
    // The admin's creation is the chain's first record, then the eight events.
    expect(result).toMatchObject({ ok: true, records: 9, headSeq: 9 });
  });

  it('writes a verb of thousands of records whole, in order, with values read back as hashed', async () => {
    const odd = { quote: 'it\'s "x"', unicode: 'Grüße ✓', empty: '', deep: { n: 1.5, nil: null, list: [] } };
    await runVerb(w.env, w.admin.scope, async (ctx) => {
      for (let i = 0; i < 2500; i++) ctx.audit('test.flood', 'thing', i % 2 ? null : `f${i}`, { i, ...odd });
    });
    const result = await verifyWorkspace(w.database.db, w.workspaceId);
    expect(result).toMatchObject({ ok: true, records: 1 + 8 + 2500 });
    const rows = await w.database.query<{
      seq: number;
      subject_id: string | null;
      data: Record<string, unknown>;
    }>(
      `SELECT seq::int, subject_id, data FROM audit_log WHERE workspace_id = ${ws()} AND action = 'test.flood' ORDER BY seq`,
    );
    expect(rows.map((r) => r.data.i)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(rows[1]).toMatchObject({ subject_id: null, data: { i: 1, ...odd } });
    expect(rows[2]!.subject_id).toBe('f2');
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    await expect(
      w.database.exec(`UPDATE audit_log SET action = 'x' WHERE workspace_id = ${ws()}`),
    ).rejects.toThrow(/append-only/);
    await expect(w.database.exec(`DELETE FROM audit_log WHERE workspace_id = ${ws()}`)).rejects.toThrow(
      /append-only/,
    );
    await expect(w.database.exec('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await verifyWorkspace(w.database.db, w.workspaceId)).ok).toBe(true);
  });

  it('finds a changed record', async () => {
    await tamper(
      `UPDATE audit_log SET data = jsonb_set(data, '{note}', '"edited"') WHERE workspace_id = ${ws()} AND seq = 5`,
    );
    const r = await verifyWorkspace(w.database.db, w.workspaceId);
    expect(r.ok).toBe(false);
    expect(r.problem).toMatchObject({ seq: 5, kind: 'changed' });
  });

  it('finds a missing record', async () => {
    await tamper(`DELETE FROM audit_log WHERE workspace_id = ${ws()} AND seq = 4`);
    const r = await verifyWorkspace(w.database.db, w.workspaceId);
    expect(r.problem).toMatchObject({ seq: 4, kind: 'missing' });
    expect(r.problem?.message).toContain('record 4 is missing');
  });

  it('finds a missing tail through the head', async () => {
    await tamper(`DELETE FROM audit_log WHERE workspace_id = ${ws()} AND seq >= 8`);
    const r = await verifyWorkspace(w.database.db, w.workspaceId);
    expect(r.problem).toMatchObject({ seq: 8, kind: 'missing' });
  });

  it('finds a record inserted in the middle, even with a correctly computed hash', async () => {
    // Make room at seq 5, then forge a record that links properly to record 4.
    const [four] = await w.database.query<Record<string, unknown>>(
      `SELECT * FROM audit_log WHERE workspace_id = ${ws()} AND seq = 4`,
    );
    const { hashRecord } = await import('./chain.ts');
    const forged = {
      workspace_id: w.workspaceId,
      at: new Date((four!.at as Date).getTime() + 1).toISOString(),
      actor: { type: 'user' as const, id: null, name: 'mallory' },
      action: 'test.event',
      subject_type: 'thing',
      subject_id: 'forged',
      data: { i: 99 },
      prev_hash: four!.hash as string,
    };
    const hash = hashRecord(forged);
    await tamper(`
      UPDATE audit_log SET seq = seq + 1000 WHERE workspace_id = ${ws()} AND seq >= 5;
      UPDATE audit_log SET seq = seq - 999 WHERE workspace_id = ${ws()} AND seq >= 1000;
      INSERT INTO audit_log (workspace_id, seq, at, actor, action, subject_type, subject_id, data, prev_hash, hash)
      VALUES (${ws()}, 5, '${forged.at}', '${JSON.stringify(forged.actor)}', 'test.event', 'thing', 'forged',
              '{"i":99}', '${forged.prev_hash}', '${hash}');
      UPDATE audit_heads SET seq = seq + 1 WHERE workspace_id = ${ws()}`);
    const r = await verifyWorkspace(w.database.db, w.workspaceId);
    expect(r.problem).toMatchObject({ seq: 5, kind: 'inserted' });
  });

  it('finds a record appended behind Siaga’s back', async () => {
    await tamper(`INSERT INTO audit_log (workspace_id, seq, at, actor, action, subject_type, subject_id, data, prev_hash, hash)
      SELECT workspace_id, seq + 1, at, actor, action, subject_type, subject_id, data, hash, hash
      FROM audit_log WHERE workspace_id = ${ws()} AND seq = 9`);
    const r = await verifyWorkspace(w.database.db, w.workspaceId);
    expect(r.problem).toMatchObject({ seq: 10, kind: 'inserted' });
  });

  it('finds records out of order', async () => {
    await tamper(`
      UPDATE audit_log SET seq = 1006 WHERE workspace_id = ${ws()} AND seq = 6;
      UPDATE audit_log SET seq = 6 WHERE workspace_id = ${ws()} AND seq = 7;
      UPDATE audit_log SET seq = 7 WHERE workspace_id = ${ws()} AND seq = 1006`);
    const r = await verifyWorkspace(w.database.db, w.workspaceId);
    expect(r.problem).toMatchObject({ seq: 6, kind: 'out_of_order' });
  });

  it('exports JSON Lines that an independent script verifies, and that detects an edit', async () => {
    const lines: string[] = [];
    expect(await exportChain(w.database.db, w.workspaceId, (l) => lines.push(l))).toBe(9);
    const dir = mkdtempSync(join(tmpdir(), 'siaga-audit-'));
    const good = join(dir, 'audit.jsonl');
    writeFileSync(good, lines.join(''));
    const out = execFileSync(process.execPath, ['scripts/verify-audit-export.mjs', good], {
      encoding: 'utf8',
    });
    expect(out).toMatch(/^OK 9 records/);

    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, lines.map((l, i) => (i === 3 ? l.replace('"event 2"', '"event two"') : l)).join(''));
    let status = 0;
    let stdout = '';
    try {
      execFileSync(process.execPath, ['scripts/verify-audit-export.mjs', bad], { encoding: 'utf8' });
    } catch (err) {
      status = (err as { status: number }).status;
      stdout = (err as { stdout: string }).stdout;
    }
    expect(status).toBe(1);
    expect(stdout).toContain('line 4 (seq 4): content does not match its hash');
  });
});
