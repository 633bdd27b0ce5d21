import type { Duration } from './duration.ts';
import { addDays, fromWall, isoDate, toWall, weekday } from './zoned.ts';

/** Which days count as working days, in which time zone. Plans declare one; regimes may too. */
export type Calendar = {
  timezone: string;
  /** Days of the week that are not working days, 0 = Sunday … 6 = Saturday. */
  weekend: number[];
  /** ISO dates (YYYY-MM-DD) that are not working days. */
  holidays: string[];
};

export const DEFAULT_CALENDAR: Calendar = { timezone: 'UTC', weekend: [0, 6], holidays: [] };

export function isBusinessDay(date: { year: number; month: number; day: number }, cal: Calendar): boolean {
  const wall = { ...date, hour: 0, minute: 0, second: 0 };
  return !cal.weekend.includes(weekday(wall)) && !cal.holidays.includes(isoDate(wall));
}

/**
 * Resolves a deadline: `start` plus `d`. Business days keep the wall-clock time and land on the
 * n-th working day after start's date ("next business day" from Friday 10:00 is Monday 10:00).
 * Months keep the wall-clock time and clamp to the month's last day (31 Jan + 1mo = 28/29 Feb).
 */
export function addDuration(start: Date, d: Duration, cal: Calendar = DEFAULT_CALENDAR): Date {
  let t = start;
  if (d.months > 0) {
    const w = toWall(t, cal.timezone);
    const monthIndex = w.month - 1 + d.months;
    const year = w.year + Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    t = fromWall({ ...w, year, month, day: Math.min(w.day, lastDay) }, cal.timezone);
  }
  if (d.businessDays > 0) {
    if (cal.weekend.length >= 7) throw new Error('calendar has no working days');
    let w = toWall(t, cal.timezone);
    let left = d.businessDays;
    while (left > 0) {
      w = addDays(w, 1);
      if (isBusinessDay(w, cal)) left -= 1;
    }
    t = fromWall(w, cal.timezone);
  }
  return new Date(t.getTime() + d.ms);
}
