import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IncidentClock } from '../incidents/clocks.ts';
import { checkLink, signLink } from './links.ts';
import { remindersFor } from './reminders.ts';

const key = Buffer.alloc(32, 7);

describe('signed action links', () => {
  it('round-trip while valid, and any change to a character breaks them', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.constantFrom('acknowledge' as const, 'resolve' as const),
        fc.integer({ min: 1_700_000_000, max: 2_000_000_000 }),
        fc.nat(),
        (id, action, e, pos) => {
          const token = signLink(key, { l: id, a: action, e });
          const before = new Date((e - 1) * 1000);
          expect(checkLink(key, token, before)).toEqual({
            ok: true,
            linkId: id.toLowerCase(),
            action,
            expiresAt: new Date(e * 1000),
          });
          expect(checkLink(key, token, new Date(e * 1000))).toMatchObject({ ok: false, reason: 'expired' });
          const i = pos % token.length;
          const swapped = token[i] === 'A' ? 'B' : 'A';
          const altered = token.slice(0, i) + swapped + token.slice(i + 1);
          expect(checkLink(key, altered, before).ok).toBe(false);
          expect(checkLink(Buffer.alloc(32, 8), token, before)).toEqual({
            ok: false,
            reason: 'bad_signature',
          });
        },
      ),
    );
  });
});

const clock = (startsAt: number, deadline: number, over: Partial<IncidentClock> = {}): IncidentClock => ({
  key: 'update:internal',
  kind: 'update',
  label: { en: 'Internal' },
  startsAt: new Date(startsAt),
  deadline: new Date(deadline),
  state: 'pending',
  metAt: null,
  slackMs: deadline - startsAt,
  ...over,
});

describe('reminders for clocks', () => {
  it('come before or at the deadline, never in the past, "soon" before "due"', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 1, max: 30 * 24 * 3600_000 }),
        fc.integer({ min: 0, max: 40 * 24 * 3600_000 }),
        (start, span, elapsed) => {
          const now = new Date(start + elapsed);
          const deadline = start + span;
          const rs = remindersFor(
            [clock(start, deadline, { state: elapsed > span ? 'breached' : 'pending' })],
            now,
          );
          const due = rs.filter((r) => r.stage === 'due');
          expect(due).toHaveLength(1);
          for (const r of rs) {
            expect(r.dueAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
            expect(r.dueAt.getTime()).toBeLessThanOrEqual(Math.max(deadline, now.getTime()));
          }
          const soon = rs.find((r) => r.stage === 'soon');
          if (soon) expect(soon.dueAt.getTime()).toBeLessThan(due[0]!.dueAt.getTime());
        },
      ),
    );
  });

  it('none for met, waived or unstarted clocks, nor for kinds nobody is reminded of', () => {
    const now = new Date(1000);
    expect(remindersFor([clock(0, 3600_000, { metAt: new Date(10), state: 'met' })], now)).toEqual([]);
    expect(remindersFor([clock(0, 3600_000, { state: 'waived' })], now)).toEqual([]);
    expect(remindersFor([clock(0, 3600_000, { kind: 'phase' })], now)).toEqual([]);
    expect(
      remindersFor([{ ...clock(0, 1), startsAt: null, deadline: null, state: 'not_started' }], now),
    ).toEqual([]);
  });

  it('none for the response target once the incident is resolved; the others go on', () => {
    const now = new Date(1000);
    const response = clock(0, 3600_000, { key: 'response', kind: 'response' });
    const postmortem = clock(0, 3600_000, { key: 'postmortem', kind: 'postmortem' });
    expect(remindersFor([response, postmortem], now, false).map((r) => r.clockKey)).toEqual([
      'response',
      'response',
      'postmortem',
      'postmortem',
    ]);
    expect(remindersFor([response, postmortem], now, true).map((r) => r.clockKey)).toEqual([
      'postmortem',
      'postmortem',
    ]);
  });
});
