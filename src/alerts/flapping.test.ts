import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../shared/duration.ts';
import { type FlapState, flip, settle } from './flapping.ts';

const routing = (flips: number, window: string) => ({ flapping: { flips, window: parseDuration(window)! } });
const start: FlapState = { transitions: 0, flapSince: null, flapping: false };

describe('flapping', () => {
  it('flags an alert that changes state often enough inside the window, and not otherwise', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 20 * 60_000 }), { minLength: 1, maxLength: 30 }),
        (flips, gaps) => {
          const r = routing(flips, '10m');
          let s = start;
          let t = 0;
          let windowStart = 0;
          let inWindow = 0;
          for (const g of gaps) {
            t += g;
            if (inWindow === 0 || t - windowStart > 10 * 60_000) {
              windowStart = t;
              inWindow = 1;
            } else inWindow += 1;
            s = flip(s, new Date(t), r);
            expect(s.flapping).toBe(inWindow >= flips);
          }
        },
      ),
    );
  });

  it('never flags without the plan setting, and settles after a quiet window', () => {
    let s = start;
    for (let i = 0; i < 10; i++) s = flip(s, new Date(i * 1000), { flapping: undefined });
    expect(s.flapping).toBe(false);
    const r = routing(2, '5m');
    s = flip(flip(start, new Date(0), r), new Date(1000), r);
    expect(s.flapping).toBe(true);
    expect(settle(s, new Date(4 * 60_000), r).flapping).toBe(true);
    expect(settle(s, new Date(6 * 60_000), r).flapping).toBe(false);
  });
});
