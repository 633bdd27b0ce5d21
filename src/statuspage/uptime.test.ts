import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseLang } from './i18n.ts';
import { COMPONENT_STATUSES } from './tables.ts';
import { uptimeDays, uptimePercent } from './uptime.ts';

const DAY = 86_400_000;
const end = new Date(Date.UTC(2026, 2, 10, 12));

describe('uptime', () => {
  it('counts a major outage fully and a partial outage at 30 %', () => {
    const createdAt = new Date(end.getTime() - 10 * DAY);
    const day = Date.UTC(2026, 2, 9);
    const days = uptimeDays({
      end,
      days: 3,
      createdAt,
      checks: [],
      changes: [
        { at: new Date(day + 3600_000), status: 'major_outage' },
        { at: new Date(day + 2 * 3600_000), status: 'partial_outage' },
        { at: new Date(day + 4 * 3600_000), status: 'operational' },
      ],
    });
    expect(days.map((d) => d.downSeconds)).toEqual([0, 3600 + 0.3 * 7200, 0]);
    expect(days[1]!.worst).toBe('major_outage');
  });

  it('stays between 0 and 1, is null before the component existed, and never counts more than the day', () => {
    const change = fc.record({
      at: fc.integer({ min: end.getTime() - 95 * DAY, max: end.getTime() }).map((t) => new Date(t)),
      status: fc.constantFrom(...COMPONENT_STATUSES),
    });
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 30 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(
          fc.record({
            d: fc.integer({ min: 0, max: 89 }),
            total: fc.integer({ min: 1, max: 1440 }),
            f: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { maxLength: 20 },
        ),
        (changes, bornDaysAgo, raw) => {
          const createdAt = new Date(end.getTime() - bornDaysAgo * DAY);
          const first = Math.floor(end.getTime() / DAY) * DAY - 89 * DAY;
          const checks = raw.map((c) => ({
            day: first + c.d * DAY,
            total: c.total,
            failed: Math.floor(c.f * c.total),
          }));
          const days = uptimeDays({ end, days: 90, createdAt, changes, checks });
          expect(days).toHaveLength(90);
          for (const d of days) {
            if (d.day + DAY <= createdAt.getTime()) expect(d.uptime).toBeNull();
            if (d.uptime !== null) {
              expect(d.uptime).toBeGreaterThanOrEqual(-1e-9);
              expect(d.uptime).toBeLessThanOrEqual(1);
              expect(d.downSeconds).toBeLessThanOrEqual(86_400);
            }
          }
          const pct = uptimePercent(days);
          if (pct !== null) expect(pct).toBeLessThanOrEqual(100);
          // Without outages or failed checks, every known day is fully up.
          const clean = uptimeDays({ end, days: 90, createdAt, changes: [], checks: [] });
          for (const d of clean) if (d.uptime !== null) expect(d.uptime).toBe(1);
        },
      ),
    );
  });
});

describe('language choice', () => {
  it('reduces any Accept-Language and ?lang= to en or id', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string()),
        fc.option(fc.string({ maxLength: 300 })),
        fc.constantFrom('en' as const, 'id' as const),
        (q, al, fb) => {
          expect(['en', 'id']).toContain(chooseLang(q, al ?? undefined, fb));
        },
      ),
    );
    expect(chooseLang(null, 'fr-CH, id;q=0.8, en;q=0.5', 'en')).toBe('id');
    expect(chooseLang(null, 'en-US,en;q=0.9', 'id')).toBe('en');
    expect(chooseLang('id', 'en', 'en')).toBe('id');
    expect(chooseLang('xx', 'de', 'id')).toBe('id');
  });
});
