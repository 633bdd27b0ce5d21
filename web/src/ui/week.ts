/**
 * Week arithmetic for the on-call calendar. Pure: every function takes the time zone it works
 * in, so the browser passes its own and a unit test in Node passes any, including one whose
 * week crosses a daylight-saving change (a 23- or 25-hour day).
 */

/** One calendar day in a zone: `date` is "YYYY-MM-DD", [start, end) the instants (ms) it covers. */
export type Day = { date: string; start: number; end: number };

/** A shift's part inside one day, or a stretch of it nobody covers (`shift` null). */
export type Piece<S> = { shift: S | null; from: number; to: number };

const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in `zone` at `at`, written as if it were UTC: minus `at`, the zone's offset. */
function wallAsUtc(at: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(at)) p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

const offset = (at: number, zone: string) => wallAsUtc(at, zone) - Math.floor(at / 1000) * 1000;
const iso = (utc: number) => new Date(utc).toISOString().slice(0, 10);

/** The calendar date ("YYYY-MM-DD") in `zone` at the instant `at`. */
export function dateIn(at: number, zone: string): string {
  return iso(wallAsUtc(at, zone));
}

/** Calendar arithmetic on "YYYY-MM-DD", no zone involved. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return iso(Date.UTC(y, m - 1, d + n));
}

/** The Monday on or before `date`: weeks start on Monday (ISO 8601). */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 is Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/**
 * The first instant of `date` in `zone`: its midnight, or where a daylight-saving jump skips
 * midnight, the end of the jump. The zone's offset is tried from a day either side, since it may
 * change between the UTC midnight and the local one.
 */
export function startOfDay(date: string, zone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  const starts = [wall - DAY, wall, wall + DAY]
    .map((probe) => wall - offset(probe, zone))
    .filter((at) => dateIn(at, zone) === date);
  return Math.min(...starts);
}

/** The seven days from `monday` in `zone`; each ends where the next starts. */
export function weekFrom(monday: string, zone: string): Day[] {
  const starts = Array.from({ length: 8 }, (_, i) => startOfDay(addDays(monday, i), zone));
  return starts.slice(0, 7).map((start, i) => ({ date: addDays(monday, i), start, end: starts[i + 1]! }));
}

/**
 * Each day's pieces in time order: every shift that overlaps the day, clipped to it (a shift
 * over several days shows on each), and the gaps between them, so a day says when nobody is
 * on call. Shifts are the API's: consecutive and never overlapping.
 */
export function splitByDay<S extends { start: string; end: string }>(days: Day[], shifts: S[]): Piece<S>[][] {
  const sorted = shifts
    .map((shift) => ({ shift, a: Date.parse(shift.start), b: Date.parse(shift.end) }))
    .sort((x, y) => x.a - y.a);
  return days.map((day) => {
    const out: Piece<S>[] = [];
    let cursor = day.start;
    for (const { shift, a, b } of sorted) {
      if (b <= day.start || a >= day.end) continue;
      const from = Math.max(a, day.start);
      if (from > cursor) out.push({ shift: null, from: cursor, to: from });
      const to = Math.min(b, day.end);
      out.push({ shift, from, to });
      cursor = Math.max(cursor, to);
    }
    if (cursor < day.end) out.push({ shift: null, from: cursor, to: day.end });
    return out;
  });
}

/** "HH:MM" in `zone`; the end of a day is "24:00", not the next day's "00:00". */
export function clock(at: number, zone: string, day?: Day): string {
  if (day && at === day.end) return '24:00';
  const w = new Date(wallAsUtc(at, zone));
  return `${String(w.getUTCHours()).padStart(2, '0')}:${String(w.getUTCMinutes()).padStart(2, '0')}`;
}
