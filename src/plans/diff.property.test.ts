import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, hunks, sectionChanges } from './diff.ts';

const doc = fc.array(fc.constantFrom('a', 'b', 'c', 'key: S1', '  - x', ''), { maxLength: 40 });

describe('plan version diff', () => {
  it('replays: the old side of the diff is the old file, the new side the new file', () => {
    fc.assert(
      fc.property(doc, doc, (a, b) => {
        const d = diffLines(a, b);
        expect(d.filter((l) => l.op !== 'added').map((l) => l.text)).toEqual(a);
        expect(d.filter((l) => l.op !== 'removed').map((l) => l.text)).toEqual(b);
      }),
    );
  });

  it('is minimal enough: identical files have no changes, and edits never exceed both lengths', () => {
    fc.assert(
      fc.property(doc, doc, (a, b) => {
        expect(diffLines(a, a).every((l) => l.op === 'same')).toBe(true);
        const edits = diffLines(a, b).filter((l) => l.op !== 'same').length;
        expect(edits).toBeLessThanOrEqual(a.length + b.length);
      }),
    );
  });

  it('hunks hold every change exactly once, with line numbers that match the files', () => {
    fc.assert(
      fc.property(doc, doc, fc.integer({ min: 0, max: 4 }), (a, b, context) => {
        const d = diffLines(a, b);
        const hs = hunks(d, context);
        const changed = hs.flatMap((h) => h.lines.filter((l) => l.op !== 'same'));
        expect(changed).toEqual(d.filter((l) => l.op !== 'same'));
        for (const h of hs) {
          for (const l of h.lines) {
            if (l.old !== null) expect(a[l.old - 1]).toBe(l.text);
            if (l.new !== null) expect(b[l.new - 1]).toBe(l.text);
          }
        }
      }),
    );
  });

  it('names the keyed entries that were added, removed or changed in each section', () => {
    const before = { severities: [{ key: 'S1', response_target: '15m' }, { key: 'S2' }], name: 'Plan' };
    const after = { severities: [{ key: 'S1', response_target: '5m' }, { key: 'S3' }], name: 'Plan' };
    expect(sectionChanges(before, after)).toEqual([
      { section: 'severities', added: ['S3'], removed: ['S2'], changed: ['S1'] },
    ]);
    expect(sectionChanges({ name: 'A' }, { name: 'B', notes: ['n'] })).toEqual([
      { section: 'name', added: [], removed: [], changed: ['name'] },
      { section: 'notes', added: ['notes'], removed: [], changed: [] },
    ]);
  });
});
