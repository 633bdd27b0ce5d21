import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditRecord, GENESIS, hashRecord, verifyChain } from './chain.ts';

function build(datas: Record<string, unknown>[]): AuditRecord[] {
  let prev = GENESIS;
  return datas.map((data, i) => {
    const content = {
      workspace_id: 'w',
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      actor: { type: 'user' as const, id: 'u', name: 'u@x' },
      action: 'a',
      subject_type: 's',
      subject_id: String(i),
      data,
      prev_hash: prev,
    };
    const hash = hashRecord(content);
    prev = hash;
    return { ...content, seq: i + 1, hash };
  });
}

const jsonData = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const chain = fc.array(jsonData, { minLength: 2, maxLength: 25 }).map(build);

describe('verifyChain (properties)', () => {
  it('accepts every chain built by the rules', async () => {
    await fc.assert(
      fc.asyncProperty(chain, async (records) => {
        const last = records[records.length - 1]!;
        expect((await verifyChain(records, { seq: last.seq, hash: last.hash })).ok).toBe(true);
      }),
    );
  });

  it('rejects any chain with one record changed', async () => {
    await fc.assert(
      fc.asyncProperty(chain, fc.nat(), fc.string({ minLength: 1 }), async (records, pick, value) => {
        const i = pick % records.length;
        const changed = records.map((r, j) =>
          j === i ? { ...r, data: { ...r.data, __tampered: value } } : r,
        );
        const last = records[records.length - 1]!;
        const result = await verifyChain(changed, { seq: last.seq, hash: last.hash });
        expect(result.ok).toBe(false);
        expect(result.problem).toMatchObject({ seq: i + 1, kind: 'changed' });
      }),
    );
  });

  it('rejects any chain with one record removed, wherever it was', async () => {
    await fc.assert(
      fc.asyncProperty(chain, fc.nat(), async (records, pick) => {
        const i = pick % records.length;
        const last = records[records.length - 1]!;
        const result = await verifyChain(
          records.filter((_, j) => j !== i),
          { seq: last.seq, hash: last.hash },
        );
        expect(result.problem).toMatchObject({ seq: i + 1, kind: 'missing' });
      }),
    );
  });

  it('rejects any chain with two neighbours swapped', async () => {
    await fc.assert(
      fc.asyncProperty(chain, fc.nat(), async (records, pick) => {
        const i = pick % (records.length - 1);
        const swapped = records.map((r, j) =>
          j === i ? { ...records[i + 1]!, seq: r.seq } : j === i + 1 ? { ...records[i]!, seq: r.seq } : r,
        );
        const last = records[records.length - 1]!;
        const result = await verifyChain(swapped, { seq: last.seq, hash: last.hash });
        expect(result.ok).toBe(false);
        expect(['out_of_order', 'missing']).toContain(result.problem?.kind);
      }),
    );
  });
});
