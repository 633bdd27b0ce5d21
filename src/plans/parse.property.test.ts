import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { parsePlan } from './parse.ts';

const REKBERKAN = readFileSync(new URL('../../examples/plans/rekberkan.yaml', import.meta.url), 'utf8');
const lineCount = (s: string) => s.split('\n').length;

/** Every result is either a plan or problems that each point inside the file. */
function wellFormed(source: string): void {
  const r = parsePlan(source);
  if (r.ok) {
    expect(r.problems).toEqual([]);
    return;
  }
  expect(r.problems.length).toBeGreaterThan(0);
  for (const p of r.problems) {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lineCount(source));
    expect(p.column).toBeGreaterThanOrEqual(1);
    expect(p.message.length).toBeGreaterThan(0);
  }
}

describe('parsePlan on any input', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), wellFormed), { numRuns: 300 });
    // Found by this property: an alias to an anchor that does not exist.
    wellFormed('*!');
    wellFormed('a: &x 1\nb: *y\n');
  });

  it('never throws on arbitrary YAML data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => wellFormed(stringify(v))),
      { numRuns: 300 },
    );
  });

  it('never throws when one value of a real plan is replaced by anything', () => {
    const doc = parseDocument(REKBERKAN);
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]): void => {
      paths.push(path);
      if (Array.isArray(v)) {
        v.forEach((x, i) => {
          walk(x, [...path, i]);
        });
      } else if (v !== null && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
      }
    };
    walk(doc.toJS(), []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.slice(1)), fc.jsonValue(), (path, value) => {
        const copy = parseDocument(REKBERKAN);
        copy.setIn(path, value);
        wellFormed(copy.toString());
      }),
      { numRuns: 100 },
    );
  });
});
