/**
 * Durations as plans write them: "15m", "1h30m", "72h", "7d", "1w", "immediate",
 * calendar months ("1mo") and business days ("1bd", "5bd").
 *
 * Months and business days are not a fixed number of milliseconds, so they are kept apart
 * and only resolved against a start instant and a calendar (see calendar.ts).
 */
export type Duration = {
  /** The text as written, kept for rendering the plan back. */
  text: string;
  /** Fixed part in milliseconds (weeks, days, hours, minutes, seconds). */
  ms: number;
  /** Calendar months, added in the calendar's time zone. */
  months: number;
  /** Business days, counted on the calendar (weekends and holidays skipped). */
  businessDays: number;
};

const UNIT_MS: Record<string, number> = {
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
};

const FIXED = /^(\d+(?:w|d|h|m|s))+$/;
const PART = /(\d+)(w|d|h|m|s)/g;

export const DURATION_HINT =
  'expected a duration like "15m", "1h30m", "72h", "7d", "1mo", "5bd" (business days) or "immediate"';

export function parseDuration(input: string): Duration | null {
  const text = input.trim();
  if (text === 'immediate' || text === '0') return { text, ms: 0, months: 0, businessDays: 0 };
  let m = /^(\d+)mo$/.exec(text);
  if (m) return { text, ms: 0, months: Number(m[1]), businessDays: 0 };
  m = /^(\d+)bd$/.exec(text);
  if (m) return { text, ms: 0, months: 0, businessDays: Number(m[1]) };
  if (!FIXED.test(text)) return null;
  let ms = 0;
  for (const part of text.matchAll(PART)) ms += Number(part[1]) * UNIT_MS[part[2]!]!;
  return { text, ms, months: 0, businessDays: 0 };
}

export function fixedDuration(ms: number): Duration {
  return { text: formatMs(ms), ms, months: 0, businessDays: 0 };
}

/**
 * A time left as a person says it: whole minutes from a minute up, whole seconds below. A job
 * wakes a little after its instant, and "due in 5m59s500ms" reads as noise at 3 a.m.
 */
export function formatApprox(ms: number): string {
  const unit = Math.abs(ms) >= 60_000 ? 60_000 : 1000;
  return formatMs(Math.round(ms / unit) * unit);
}

/** Shortest exact text for a fixed number of milliseconds ("1h30m", "45s"). */
export function formatMs(ms: number): string {
  if (ms === 0) return '0m';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  let out = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  if (rest > 0 || out === '') out += `${rest}ms`;
  return sign + out;
}
