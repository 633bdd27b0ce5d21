import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float8s, percentiles, statOf, statsByGroup } from './stats.ts';

/** percentile_cont as PostgreSQL documents it, on a sorted copy: the reference. */
function reference(xs: number[], f: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = f * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
}

describe('percentiles', () => {
  it('interpolates between ranks as percentile_cont does', () => {
    const [p50, p90, p99] = percentiles(Float64Array.from([70, 5, 10]))!;
    expect(p50).toBe(10);
    expect(p90).toBeCloseTo(58, 9);
    expect(p99).toBeCloseTo(68.8, 9);
    expect(percentiles(Float64Array.from([7]))).toEqual([7, 7, 7]);
    expect(percentiles(new Float64Array(0))).toBeNull();
  });

  it('agrees with a sort on any values, repeated ones and any order included', () => {
    const value = fc.oneof(fc.integer({ min: -1e6, max: 1e12 }), fc.constantFrom(0, 1, 60_000));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (xs) => {
        const got = percentiles(Float64Array.from(xs))!;
        [0.5, 0.9, 0.99].forEach((f, i) => {
          expect(got[i]).toBeCloseTo(reference(xs, f), 3);
        });
      }),
    );
  });
});

describe('statsByGroup', () => {
  it('gives each group the stat of its rows, a row under several groups and NaN left out', () => {
    // Rows 0..3; row 1 is in groups 0 and 1; row 3 has not reached the duration.
    const values = Float64Array.from([70, 5, 10, Number.NaN]);
    const rows = Int32Array.from([0, 1, 1, 2, 3]);
    const groups = Int32Array.from([0, 0, 1, 0, 2]);
    const [a, b, c] = statsByGroup(values, rows, groups, 3);
    expect(a).toEqual({ n: 3, mean_ms: Math.round(85 / 3), p50_ms: 10, p90_ms: 58, p99_ms: 69 });
    expect(b).toEqual({ n: 1, mean_ms: 5, p50_ms: 5, p90_ms: 5, p99_ms: 5 });
    expect(c).toEqual({ n: 0, mean_ms: null, p50_ms: null, p90_ms: null, p99_ms: null });
  });

  it('matches the stat of each group computed alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 1e9 })), {
          maxLength: 200,
        }),
        (pairs) => {
          const values = Float64Array.from(pairs, ([, v]) => v);
          const rows = Int32Array.from(pairs, (_, i) => i);
          const groups = Int32Array.from(pairs, ([g]) => g);
          const got = statsByGroup(values, rows, groups, 5);
          for (let g = 0; g < 5; g++)
            expect(got[g]).toEqual(
              statOf(
                Float64Array.from(
                  pairs.filter(([k]) => k === g),
                  ([, v]) => v,
                ),
              ),
            );
        },
      ),
    );
  });
});

describe('float8s', () => {
  it('reads back big-endian doubles, NaN included, at any byte offset', () => {
    fc.assert(
      fc.property(fc.array(fc.double()), fc.integer({ min: 0, max: 7 }), (xs, pad) => {
        const buf = new Uint8Array(pad + xs.length * 8);
        const view = new DataView(buf.buffer);
        for (const [i, x] of xs.entries()) view.setFloat64(pad + i * 8, x, false);
        expect(Array.from(float8s(buf.subarray(pad)))).toEqual(xs);
      }),
    );
  });
});
