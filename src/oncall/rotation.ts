/**
 * Rotation arithmetic. Shift boundaries are wall-clock times in the schedule's zone, so a
 * daily 09:00 handoff stays at 09:00 across daylight-saving changes (the shift that spans
 * the change is an hour shorter or longer). Pure: callers pass the instants.
 */
import { addDays, fromWall, type WallTime } from '../shared/zoned.ts';
import { HANDOFF_RE, type LayerSpec, type ScheduleSpec, type Shift } from './model.ts';

const HOUR = 3_600_000;
const NOMINAL: Record<LayerSpec['shift']['unit'], number> = {
  hours: HOUR,
  days: 24 * HOUR,
  weeks: 168 * HOUR,
};

function startWall(layer: LayerSpec): WallTime {
  const [y, mo, d] = layer.start.split('-').map(Number) as [number, number, number];
  const m = HANDOFF_RE.exec(layer.handoff);
  if (!m) throw new Error(`bad handoff ${layer.handoff}`);
  return { year: y, month: mo, day: d, hour: Number(m[1]), minute: Number(m[2]), second: 0 };
}

function addWallHours(w: WallTime, hours: number): WallTime {
  const t = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour + hours, w.minute, w.second));
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
    second: t.getUTCSeconds(),
  };
}

/** The instant the k-th shift of a layer starts (k may be negative: before the start). */
export function boundary(layer: LayerSpec, timeZone: string, k: number): Date {
  const w = startWall(layer);
  const n = k * layer.shift.count;
  if (layer.shift.unit === 'hours') return fromWall(addWallHours(w, n), timeZone);
  return fromWall(addDays(w, layer.shift.unit === 'weeks' ? 7 * n : n), timeZone);
}

/** Index of the shift covering `at`: boundary(k) <= at < boundary(k+1). */
export function shiftIndex(layer: LayerSpec, timeZone: string, at: Date): number {
  const t0 = boundary(layer, timeZone, 0).getTime();
  let k = Math.floor((at.getTime() - t0) / (NOMINAL[layer.shift.unit] * layer.shift.count));
  // The nominal length is off by at most an hour per DST change; walk to the exact shift.
  while (boundary(layer, timeZone, k).getTime() > at.getTime()) k--;
  while (boundary(layer, timeZone, k + 1).getTime() <= at.getTime()) k++;
  return k;
}

function covers(layer: LayerSpec, timeZone: string, at: Date): boolean {
  if (layer.participants.length === 0) return false;
  if (at.getTime() < boundary(layer, timeZone, 0).getTime()) return false;
  return layer.until === undefined || at.getTime() < Date.parse(layer.until);
}

function participantAt(layer: LayerSpec, k: number): string {
  const n = layer.participants.length;
  return layer.participants[((k % n) + n) % n]!;
}

/** Who is on call at `at`: an override first, then the last layer that covers the instant. */
export function onCallAt(spec: ScheduleSpec, at: Date): { userId: string; layer: number } | null {
  const t = at.getTime();
  // Among overlapping overrides the latest-starting one is the most recent decision.
  let best: ScheduleSpec['overrides'][number] | undefined;
  for (const o of spec.overrides) {
    if (o.startsAt.getTime() <= t && t < o.endsAt.getTime()) {
      if (!best || o.startsAt.getTime() >= best.startsAt.getTime()) best = o;
    }
  }
  if (best) return { userId: best.userId, layer: -1 };
  for (let i = spec.layers.length - 1; i >= 0; i--) {
    const layer = spec.layers[i]!;
    if (!covers(layer, spec.timeZone, at)) continue;
    return { userId: participantAt(layer, shiftIndex(layer, spec.timeZone, at)), layer: i };
  }
  return null;
}

/** Every instant in [from, to) at which the answer of onCallAt may change. */
function breakpoints(spec: ScheduleSpec, from: Date, to: Date): number[] {
  const out = new Set<number>([from.getTime()]);
  const add = (t: number) => {
    if (t > from.getTime() && t < to.getTime()) out.add(t);
  };
  for (const o of spec.overrides) {
    add(o.startsAt.getTime());
    add(o.endsAt.getTime());
  }
  for (const layer of spec.layers) {
    if (layer.participants.length === 0) continue;
    if (layer.until !== undefined) add(Date.parse(layer.until));
    const first = boundary(layer, spec.timeZone, 0).getTime();
    add(first);
    let k = Math.max(0, shiftIndex(layer, spec.timeZone, from));
    for (;;) {
      const b = boundary(layer, spec.timeZone, k).getTime();
      if (b >= to.getTime()) break;
      add(b);
      k++;
    }
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The shifts in [from, to), clipped to the window: consecutive, never overlapping, one per
 * person per stretch (a person on two layers back to back is one shift).
 */
export function shiftsBetween(spec: ScheduleSpec, from: Date, to: Date): Shift[] {
  if (to.getTime() <= from.getTime()) return [];
  const points = breakpoints(spec, from, to);
  const out: Shift[] = [];
  for (let i = 0; i < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1] ?? to.getTime();
    if (end <= start) continue;
    const who = onCallAt(spec, new Date(start));
    if (!who) continue;
    const last = out[out.length - 1];
    if (last && last.userId === who.userId && last.layer === who.layer && last.end.getTime() === start) {
      last.end = new Date(end);
    } else {
      out.push({ userId: who.userId, start: new Date(start), end: new Date(end), layer: who.layer });
    }
  }
  return out;
}
