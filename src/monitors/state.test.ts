import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyResult, type MonitorState, reportFailure } from './state.ts';

const start: MonitorState = { state: 'unknown', downSince: null, alertFiring: false };

/** Replays results one interval apart from t0. */
function replay(results: boolean[], intervalMs: number, downAfterMs: number) {
  let s: MonitorState = start;
  const actions: ('raise' | 'resolve')[] = [];
  results.forEach((ok, i) => {
    const t = applyResult(s, ok, new Date(Date.UTC(2026, 0, 1) + i * intervalMs), downAfterMs);
    if (t.action) actions.push(t.action);
    s = t;
  });
  return { s, actions };
}

describe('monitor state', () => {
  it('raises only after more than the threshold of continuous failure (seed 000: > 10 minutes)', () => {
    const minute = 60_000;
    expect(replay(Array(11).fill(false), minute, 10 * minute).actions).toEqual([]);
    expect(replay(Array(12).fill(false), minute, 10 * minute).actions).toEqual(['raise']);
    expect(replay([...Array(12).fill(false), true], minute, 10 * minute).actions).toEqual([
      'raise',
      'resolve',
    ]);
  });

  it('alternates raise and resolve, never twice in a row, and raises iff some failure run outlasts the threshold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 80 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 0, max: 3600 }),
        (results, intervalS, downAfterS) => {
          const { s, actions } = replay(results, intervalS * 1000, downAfterS * 1000);
          expect(actions).toEqual(actions.map((_, i) => (i % 2 === 0 ? 'raise' : 'resolve')));
          // Longest run of failures, in elapsed time from its first failure to its last.
          let run = 0;
          let longest = -1;
          for (const ok of results) {
            run = ok ? 0 : run + 1;
            if (run > 0) longest = Math.max(longest, (run - 1) * intervalS);
          }
          expect(actions.includes('raise')).toBe(longest > downAfterS);
          expect(s.alertFiring).toBe(actions.length % 2 === 1);
          if (s.state === 'up') expect(s.downSince).toBeNull();
        },
      ),
    );
  });

  it('a reported failure raises at once, once, and keeps when the down period began', () => {
    const t0 = new Date(Date.UTC(2026, 0, 1));
    const t1 = new Date(t0.getTime() + 60_000);
    const first = reportFailure(start, t0);
    expect(first).toEqual({ state: 'down', downSince: t0, alertFiring: true, action: 'raise' });
    expect(reportFailure(first, t1)).toEqual({ ...first, action: null });
    const missed = applyResult(start, false, t0, 3_600_000);
    expect(reportFailure(missed, t1)).toMatchObject({ downSince: t0, action: 'raise' });
  });
});
