/**
 * Wall-clock arithmetic in IANA time zones using only Intl, so schedules and deadlines
 * come out right across daylight-saving changes without a timezone library.
 */
export type WallTime = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of `instant` in `timeZone`. */
export function toWall(instant: Date, timeZone: string): WallTime {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour!,
    minute: out.minute!,
    second: out.second!,
  };
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
export function offsetAt(instant: Date, timeZone: string): number {
  const w = toWall(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (instant.getTime() - instant.getUTCMilliseconds());
}

/**
 * The instant at which clocks in `timeZone` read `wall`. A wall time skipped by a DST jump
 * resolves to the instant just after the jump (02:30 on a spring-forward night becomes 03:30);
 * a repeated wall time resolves to its first occurrence.
 */
export function fromWall(wall: WallTime, timeZone: string): Date {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // Try the offsets in force a day either side; pick the earliest that reads back exactly.
  const candidates = new Set([
    offsetAt(new Date(naive - 86_400_000), timeZone),
    offsetAt(new Date(naive), timeZone),
    offsetAt(new Date(naive + 86_400_000), timeZone),
  ]);
  const exact: number[] = [];
  for (const off of candidates) {
    const t = naive - off;
    const back = toWall(new Date(t), timeZone);
    if (
      back.year === wall.year &&
      back.month === wall.month &&
      back.day === wall.day &&
      back.hour === wall.hour &&
      back.minute === wall.minute &&
      back.second === wall.second
    ) {
      exact.push(t);
    }
  }
  if (exact.length > 0) return new Date(Math.min(...exact));
  // In a gap: use the offset from before the jump, which lands after the jump.
  const before = offsetAt(new Date(naive - 86_400_000), timeZone);
  return new Date(naive - before);
}

/** Adds whole days to a calendar date (no time zone involved). */
export function addDays(wall: WallTime, days: number): WallTime {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday, for the calendar date of `wall`. */
export function weekday(wall: WallTime): number {
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
}

export function isoDate(wall: WallTime): string {
  return `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}

/** "2026-01-05 16:00 UTC+7": unambiguous for readers in any zone, in the plan's zone. */
export function formatInZone(instant: Date, timeZone: string): string {
  const w = toWall(instant, timeZone);
  const off = Math.round(offsetAt(instant, timeZone) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const zone =
    abs === 0
      ? 'UTC'
      : `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${isoDate(w)} ${pad(w.hour)}:${pad(w.minute)} ${zone}`;
}
