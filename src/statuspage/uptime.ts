import type { ComponentStatus } from './tables.ts';

const DAY = 86_400_000;

/**
 * Outage weights per status, as Atlassian Statuspage counts them: a major outage is downtime,
 * a partial outage counts for 30 %, degradation and maintenance for nothing.
 */
const WEIGHT: Record<ComponentStatus, number> = {
  operational: 0,
  degraded_performance: 0,
  under_maintenance: 0,
  partial_outage: 0.3,
  major_outage: 1,
};

export type Change = { at: Date; status: ComponentStatus };
export type DailyChecks = { day: number; total: number; failed: number };
export type UptimeDay = {
  /** Start of the UTC day, ms since epoch. */
  day: number;
  /** Fraction up, 0..1; null before the component existed. */
  uptime: number | null;
  /** Outage seconds counted that day (the larger of incident impact and failed checks). */
  downSeconds: number;
  worst: ComponentStatus;
};

export function dayStart(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

/**
 * Per-day uptime of one component over `days` UTC days ending with the day of `end`, from its
 * status history (incident impact) and its monitors' check counts. A day counts the larger of
 * the two outages, so a failing monitor during an incident is not counted twice.
 */
export function uptimeDays(input: {
  end: Date;
  days: number;
  createdAt: Date;
  changes: Change[];
  checks: DailyChecks[];
}): UptimeDay[] {
  const endMs = input.end.getTime();
  const first = dayStart(endMs) - (input.days - 1) * DAY;
  const changes = [...input.changes].sort((a, b) => a.at.getTime() - b.at.getTime());
  const checks = new Map(input.checks.map((c) => [c.day, c]));
  const out: UptimeDay[] = [];
  for (let d = 0; d < input.days; d++) {
    const from = first + d * DAY;
    const to = Math.min(from + DAY, endMs);
    const born = input.createdAt.getTime();
    if (from + DAY <= born || to < born) {
      out.push({ day: from, uptime: null, downSeconds: 0, worst: 'operational' });
      continue;
    }
    const start = Math.max(from, born);
    let weighted = 0;
    let worst: ComponentStatus = 'operational';
    // Status in force at `start`: the last change at or before it.
    let current: ComponentStatus = 'operational';
    for (const c of changes) if (c.at.getTime() <= start) current = c.status;
    let cursor = start;
    const inDay = changes.filter((c) => c.at.getTime() > start && c.at.getTime() < to);
    for (const c of [...inDay, { at: new Date(to), status: current }]) {
      const t = c.at.getTime();
      weighted += (t - cursor) * WEIGHT[current];
      if (WEIGHT[current] > WEIGHT[worst] || (worst === 'operational' && current !== 'operational'))
        worst = current;
      cursor = t;
      current = c.status;
    }
    const span = to - start;
    // Created this very instant: the day so far is its current status.
    if (span <= 0) {
      out.push({ day: from, uptime: 1 - WEIGHT[current], downSeconds: 0, worst: current });
      continue;
    }
    const c = checks.get(from);
    const checkDown = c && c.total > 0 ? (c.failed / c.total) * span : 0;
    if (c && c.failed > 0 && worst === 'operational') worst = 'degraded_performance';
    const down = Math.max(weighted, checkDown);
    out.push({ day: from, uptime: 1 - down / span, downSeconds: Math.round(down / 1000), worst });
  }
  return out;
}

/** The mean uptime over the days with data, as the percentage Statuspage prints. */
export function uptimePercent(days: UptimeDay[]): number | null {
  const known = days.filter((d) => d.uptime !== null);
  if (known.length === 0) return null;
  return (known.reduce((s, d) => s + d.uptime!, 0) / known.length) * 100;
}
