import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath, getPath, type PathStep, PathSyntaxError, parsePath } from './json-path.ts';

const step = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.nat({ max: 999 }));

/** The object that has `leaf` at `steps`, built inside out. */
function nest(steps: PathStep[], leaf: unknown): unknown {
  return steps.reduceRight<unknown>((inner, s) => {
    if (typeof s === 'number') {
      const a: unknown[] = [];
      a[s] = inner;
      return a;
    }
    return { [s]: inner };
  }, leaf);
}

describe('mapping paths', () => {
  it('any path formats to text that parses back to the same steps and finds the value', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), fc.string(), (steps, leaf) => {
        const text = formatPath(steps);
        expect(parsePath(text)).toEqual(steps);
        expect(getPath(nest(steps, leaf), parsePath(text))).toBe(leaf);
      }),
    );
  });

  it('reads the forms people write', () => {
    expect(parsePath('$.alert.title')).toEqual(['alert', 'title']);
    expect(parsePath('labels.host')).toEqual(['labels', 'host']);
    expect(parsePath('items[2].name')).toEqual(['items', 2, 'name']);
    expect(parsePath('$.tags["team name"]')).toEqual(['tags', 'team name']);
  });

  it('a missing step is undefined, not a crash, and never reads the prototype', () => {
    expect(getPath({ a: 1 }, ['a', 'b'])).toBeUndefined();
    expect(getPath({ a: [1] }, ['a', 'length'])).toBeUndefined();
    expect(getPath({}, ['constructor'])).toBeUndefined();
    expect(getPath({ a: { b: 1 } }, ['a', 0])).toBeUndefined();
  });

  it.each(['$', '', '$.a..b', 'a[x]', '$.a[', '$a', 'a.[0]'])('refuses %j with a message', (text) => {
    expect(() => parsePath(text)).toThrow(PathSyntaxError);
  });
});
