import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTextArray, parseTextArray } from './text-array.ts';

/** PostgreSQL's array_out rules for text elements: quoted when empty, NULL-like or special. */
function print(xs: string[]): string {
  const el = (s: string) =>
    s === '' || /^null$/i.test(s) || /[{}",\\\s]/.test(s) ? `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"` : s;
  return `{${xs.map(el).join(',')}}`;
}

describe('parseTextArray', () => {
  it('reads what PostgreSQL prints', () => {
    expect(parseTextArray('{}')).toEqual([]);
    expect(parseTextArray('{ledger}')).toEqual(['ledger']);
    expect(parseTextArray('{ledger,audit_chain}')).toEqual(['ledger', 'audit_chain']);
    expect(parseTextArray('{"two words","a\\"b","c\\\\d","",NULL,"NULL"}')).toEqual([
      'two words',
      'a"b',
      'c\\d',
      '',
      null,
      'NULL',
    ]);
  });

  it('reads back any list of strings printed by the same rules', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\\', '{', '}', 'é', 'N') })),
        (xs) => {
          expect(parseTextArray(print(xs))).toEqual(xs);
        },
      ),
    );
  });

  it('refuses what is not an array literal', () => {
    expect(() => parseTextArray('ledger')).toThrow(/not an array literal/);
    expect(() => parseTextArray('{"open}')).toThrow(/unterminated/);
  });
});

describe('formatTextArray', () => {
  it('writes a literal that reads back as the same strings, NULL and blanks included', () => {
    expect(formatTextArray(['a', 'NULL', '', 'x,y'])).toBe('{"a","NULL","","x,y"}');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\\', '{', '}', 'é', 'N') })),
        (xs) => {
          expect(parseTextArray(formatTextArray(xs))).toEqual(xs);
        },
      ),
    );
  });
});
