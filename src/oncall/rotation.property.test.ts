import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { offsetAt, toWall } from '../shared/zoned.ts';
import { renderCalendar } from './ical.ts';
import type { LayerSpec, ScheduleSpec } from './model.ts';
import { boundary, onCallAt, shiftsBetween } from './rotation.ts';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Jakarta'] as const;
const DAY = 86_400_000;

// Start dates around the 2026 DST changes (March and October/November), so windows cross them.
const layerArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  month: fc.constantFrom(2, 3, 10, 11),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.constantFrom(0, 15, 30, 45),
  unit: fc.constantFrom('hours', 'days', 'weeks') as fc.Arbitrary<LayerSpec['shift']['unit']>,
  count: fc.integer({ min: 1, max: 3 }),
  people: fc.integer({ min: 2, max: 4 }),
});

type LayerArb = typeof layerArb extends fc.Arbitrary<infer T> ? T : never;

function specOf(a: LayerArb, hours: number[]): { spec: ScheduleSpec; layer: LayerSpec } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const count = a.unit === 'hours' ? hours[a.count % hours.length]! : a.count;
  const layer: LayerSpec = {
    name: 'L',
    participants: Array.from({ length: a.people }, (_, i) => `u${i}`),
    shift: { count, unit: a.unit },
    handoff: `${pad(a.hour)}:${pad(a.minute)}`,
    start: `2026-${pad(a.month)}-${pad(a.day)}`,
  };
  return { spec: { timeZone: a.zone, layers: [layer], overrides: [] }, layer };
}

describe('rotations across daylight-saving changes', () => {
  it('cover a window with no gap and no overlap, handing off at the same wall-clock time', () => {
    fc.assert(
      fc.property(layerArb, (a) => {
        // Hour shifts that divide a day keep a fixed set of wall-clock handoffs (8h: 09, 17, 01).
        const { spec, layer } = specOf(a, [6, 8, 12]);
        const from = boundary(layer, a.zone, 0);
        const to = new Date(from.getTime() + 70 * DAY);
        const shifts = shiftsBetween(spec, from, to);
        expect(shifts[0]!.start).toEqual(from);
        expect(shifts.at(-1)!.end).toEqual(to);
        for (let i = 1; i < shifts.length; i++) {
          expect(shifts[i]!.start.getTime()).toBe(shifts[i - 1]!.end.getTime());
          expect(shifts[i]!.userId).not.toBe(shifts[i - 1]!.userId);
        }
        const first = toWall(from, a.zone);
        for (const s of shifts) {
          const w = toWall(s.start, a.zone);
          // A handoff whose wall time does not exist (spring forward) lands just after the jump.
          const afterJump =
            offsetAt(s.start, a.zone) !== offsetAt(new Date(s.start.getTime() - 3_600_001), a.zone);
          if (afterJump && w.minute === first.minute) continue;
          expect(w.minute).toBe(first.minute);
          if (a.unit !== 'hours') expect(w.hour).toBe(first.hour);
          else expect((w.hour - first.hour + 24) % layer.shift.count).toBe(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('agree with onCallAt at random instants, and an override wins over every layer', () => {
    fc.assert(
      fc.property(layerArb, fc.integer({ min: 0, max: 60 * 24 * 60 }), (a, minutes) => {
        const { spec, layer } = specOf(a, [12, 24]);
        const from = boundary(layer, a.zone, 0);
        const at = new Date(from.getTime() + minutes * 60_000);
        const shifts = shiftsBetween(spec, from, new Date(from.getTime() + 61 * DAY));
        const holder = shifts.find((s) => s.start <= at && at < s.end)!;
        expect(onCallAt(spec, at)?.userId).toBe(holder.userId);
        const covered: ScheduleSpec = {
          ...spec,
          overrides: [
            {
              userId: 'cover',
              startsAt: new Date(at.getTime() - 60_000),
              endsAt: new Date(at.getTime() + 60_000),
            },
          ],
        };
        expect(onCallAt(covered, at)).toEqual({ userId: 'cover', layer: -1 });
      }),
      { numRuns: 100 },
    );
  });
});

describe('layers', () => {
  it('the final layer wins where layers overlap, and nobody is on call before the first starts', () => {
    const base: LayerSpec = {
      name: 'weekly',
      participants: ['a', 'b'],
      shift: { count: 1, unit: 'weeks' },
      handoff: '09:00',
      start: '2026-01-05',
    };
    const weekend: LayerSpec = {
      ...base,
      name: 'cover',
      participants: ['c'],
      start: '2026-01-10',
      until: '2026-01-12T08:00:00.000Z',
    };
    const spec: ScheduleSpec = { timeZone: 'Asia/Jakarta', layers: [base, weekend], overrides: [] };
    expect(onCallAt(spec, new Date('2026-01-05T01:00:00Z'))).toBeNull();
    expect(onCallAt(spec, new Date('2026-01-05T02:00:00Z'))?.userId).toBe('a');
    expect(onCallAt(spec, new Date('2026-01-11T00:00:00Z'))?.userId).toBe('c');
    expect(onCallAt(spec, new Date('2026-01-12T08:00:00Z'))?.userId).toBe('b');
  });
});

describe('iCalendar feed', () => {
  it('reads back with ical.js to the same shifts', () => {
    fc.assert(
      fc.property(layerArb, fc.string({ minLength: 1, maxLength: 120 }), (a, name) => {
        const { spec, layer } = specOf(a, [8, 12]);
        const from = boundary(layer, a.zone, 0);
        const shifts = shiftsBetween(spec, from, new Date(from.getTime() + 30 * DAY));
        const text = renderCalendar(
          name,
          shifts.map((s, i) => ({
            uid: `s${i}@siaga`,
            start: s.start,
            end: s.end,
            summary: `On call: ${s.userId}, ${name}`,
          })),
          from,
        );
        for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
        const cal = new ICAL.Component(ICAL.parse(text));
        const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
        expect(
          events.map((e) => [e.startDate.toJSDate().getTime(), e.endDate.toJSDate().getTime(), e.summary]),
        ).toEqual(shifts.map((s) => [s.start.getTime(), s.end.getTime(), `On call: ${s.userId}, ${name}`]));
      }),
      { numRuns: 60 },
    );
  });
});
