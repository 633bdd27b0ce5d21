/** The on-call model as stored and computed: plain data, no database. */

export type ShiftUnit = 'hours' | 'days' | 'weeks';

/** One rotation: participants take turns, each for one shift, handing over at a wall-clock time. */
export type LayerSpec = {
  name: string;
  /** User ids, in turn order. */
  participants: string[];
  shift: { count: number; unit: ShiftUnit };
  /** Wall-clock "HH:MM" in the schedule's time zone when the first shift starts. */
  handoff: string;
  /** Calendar date "YYYY-MM-DD" (schedule's zone) on which the first shift starts. */
  start: string;
  /** The layer stops covering at this instant (ISO 8601); absent means it runs on. */
  until?: string;
};

export type Override = { userId: string; startsAt: Date; endsAt: Date };

export type ScheduleSpec = { timeZone: string; layers: LayerSpec[]; overrides: Override[] };

/** Who holds a schedule from `start` until `end`. `layer` is -1 for an override. */
export type Shift = { userId: string; start: Date; end: Date; layer: number };

/** Where a plan role or contact points on the on-call side. */
export type TargetRef = { user: string } | { schedule: string } | { team: string };

const SHIFT_RE = /^(\d{1,3})(h|d|w)$/;
const UNITS: Record<string, ShiftUnit> = { h: 'hours', d: 'days', w: 'weeks' };

/** "12h", "1d", "2w" → a shift length; null for anything else. */
export function parseShift(text: string): LayerSpec['shift'] | null {
  const m = SHIFT_RE.exec(text.trim());
  if (!m || Number(m[1]) < 1) return null;
  return { count: Number(m[1]), unit: UNITS[m[2]!]! };
}

export function formatShift(s: LayerSpec['shift']): string {
  return `${s.count}${s.unit[0]}`;
}

export const HANDOFF_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
