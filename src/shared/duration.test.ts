import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatApprox, formatMs, parseDuration } from './duration.ts';

describe('formatApprox', () => {
  it('rounds a time left to the minute from a minute up, to the second below', () => {
    expect(formatApprox(359_500)).toBe('6m');
    expect(formatApprox(3 * 60_000 - 400)).toBe('3m');
    expect(formatApprox(90_000)).toBe('2m');
    expect(formatApprox(42_400)).toBe('42s');
    expect(formatApprox(0)).toBe('0m');
  });

  it('is never more than half a unit away from the exact time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 86_400_000 }), (ms) => {
        const unit = ms >= 60_000 ? 60_000 : 1000;
        const back = parseDuration(formatApprox(ms));
        expect(back).not.toBeNull();
        expect(Math.abs(back!.ms - ms)).toBeLessThanOrEqual(unit / 2);
      }),
    );
  });

  it('leaves formatMs exact', () => {
    expect(formatMs(359_500)).toBe('5m59s500ms');
  });
});
