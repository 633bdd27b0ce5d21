import { describe, expect, it } from 'vitest';
import { addDays, clock, dateIn, mondayOf, splitByDay, startOfDay, weekFrom } from './week.ts';

const at = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();
const shift = (user: string, start: string, end: string, layer = 0) => ({ user, start, end, layer });

describe('week arithmetic', () => {
  it('starts a week on Monday, whatever day it is asked from', () => {
    expect(mondayOf('2026-12-03')).toBe('2026-11-30'); // a Thursday
    expect(mondayOf('2026-11-30')).toBe('2026-11-30'); // a Monday
    expect(mondayOf('2026-12-06')).toBe('2026-11-30'); // a Sunday
    expect(mondayOf('2027-01-01')).toBe('2026-12-28'); // across a year
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('reads the date in the zone, not in UTC', () => {
    expect(dateIn(at('2026-12-03T17:30:00Z'), 'Asia/Jakarta')).toBe('2026-12-04');
    expect(dateIn(at('2026-12-03T17:30:00Z'), 'America/Los_Angeles')).toBe('2026-12-03');
    expect(dateIn(at('2026-12-03T16:59:59.999Z'), 'Asia/Jakarta')).toBe('2026-12-03');
  });

  it('has a 23-hour Sunday in the week Europe/Berlin springs forward', () => {
    const days = weekFrom('2026-03-23', 'Europe/Berlin');
    expect(days.map((d) => d.date)).toEqual([
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
    ]);
    expect(iso(days[0]!.start)).toBe('2026-03-22T23:00:00.000Z');
    expect(iso(days[6]!.start)).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(days[6]!.end)).toBe('2026-03-29T22:00:00.000Z');
    expect(days.map((d) => (d.end - d.start) / 3_600_000)).toEqual([24, 24, 24, 24, 24, 24, 23]);
  });

  it('has a 25-hour Sunday in the week Europe/Berlin falls back', () => {
    const days = weekFrom('2026-10-19', 'Europe/Berlin');
    expect(iso(days[6]!.start)).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(days[6]!.end)).toBe('2026-10-25T23:00:00.000Z');
    expect(days[6]!.end - days[6]!.start).toBe(25 * 3_600_000);
  });

  it('starts a day at the end of the jump when the clocks skip midnight', () => {
    // Chile springs forward at midnight: 23:59 on Saturday is followed by 01:00 on Sunday.
    expect(iso(startOfDay('2026-09-06', 'America/Santiago'))).toBe('2026-09-06T04:00:00.000Z');
    expect(clock(startOfDay('2026-09-06', 'America/Santiago'), 'America/Santiago')).toBe('01:00');
    expect(iso(startOfDay('2026-09-05', 'America/Santiago'))).toBe('2026-09-05T04:00:00.000Z');
  });
});

describe('splitting shifts into days', () => {
  const zone = 'Europe/Berlin';
  const days = weekFrom('2026-03-23', zone);
  // A week-long shift handing over at 09:00 local, covered by an override for an afternoon.
  const shifts = [
    shift('ana@acme.test', '2026-03-22T23:00:00.000Z', '2026-03-25T13:00:00.000Z'),
    shift('bob@acme.test', '2026-03-25T13:00:00.000Z', '2026-03-25T17:00:00.000Z', -1),
    shift('ana@acme.test', '2026-03-25T17:00:00.000Z', '2026-03-27T08:00:00.000Z'),
    shift('cy@acme.test', '2026-03-27T08:00:00.000Z', '2026-03-29T07:00:00.000Z'),
  ];
  const pieces = splitByDay(days, shifts);
  const view = (i: number) =>
    pieces[i]!.map(
      (p) => `${clock(p.from, zone, days[i])}-${clock(p.to, zone, days[i])} ${p.shift?.user ?? '-'}`,
    );

  it('shows a shift over several days on each day it covers', () => {
    expect(view(0)).toEqual(['00:00-24:00 ana@acme.test']);
    expect(view(1)).toEqual(['00:00-24:00 ana@acme.test']);
    expect(view(4)).toEqual(['00:00-09:00 ana@acme.test', '09:00-24:00 cy@acme.test']);
    expect(view(5)).toEqual(['00:00-24:00 cy@acme.test']);
  });

  it('keeps an override apart, in time order, with the shifts either side', () => {
    expect(view(2)).toEqual([
      '00:00-14:00 ana@acme.test',
      '14:00-18:00 bob@acme.test',
      '18:00-24:00 ana@acme.test',
    ]);
    expect(pieces[2]![1]!.shift?.layer).toBe(-1);
  });

  it('follows the clock change on the short day and marks the gap nobody covers', () => {
    // 07:00Z is 09:00 CEST: the handoff keeps its wall-clock time after the jump.
    expect(view(6)).toEqual(['00:00-09:00 cy@acme.test', '09:00-24:00 -']);
    // 00:00 to 09:00 on the wall is eight hours lived: 02:00 to 03:00 never happened.
    expect(pieces[6]![0]!.to - pieces[6]![0]!.from).toBe(8 * 3_600_000);
    expect(pieces[6]![1]!.to - pieces[6]![1]!.from).toBe(15 * 3_600_000);
  });

  it('gives a day with no shift one gap, and keeps shifts outside the week out', () => {
    const outside = [shift('ana@acme.test', '2026-03-16T00:00:00.000Z', '2026-03-22T23:00:00.000Z')];
    const split = splitByDay(days, outside);
    expect(
      split.every((d, i) => d.length === 1 && d[0]!.shift === null && d[0]!.from === days[i]!.start),
    ).toBe(true);
  });

  it('accepts shifts in any order', () => {
    expect(splitByDay(days, [...shifts].reverse())).toEqual(pieces);
  });
});
