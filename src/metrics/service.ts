import type { Db } from '../db/client.ts';
import { incidentType, pick, severity } from '../plans/index.ts';
import { loadActivePlan, loadPlanVersion } from '../plans/store.ts';
import { InvalidInput } from '../shared/errors.ts';
import {
  actionItemStats,
  type GroupBy,
  incidentLog,
  type Period,
  recurrence,
  targetShares,
  toCsv,
} from './queries.ts';
import { timeStats, timeStatsSets } from './times.ts';

const DAY = 86_400_000;

/** `from`/`to` as dates or instants; the default is the year up to now. `to` is exclusive. */
export function parsePeriod(q: { from?: string; to?: string }, now: Date): Period {
  const at = (field: string, v: string | undefined, fallback: Date) => {
    if (!v) return fallback;
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    if (Number.isNaN(d.getTime()))
      throw InvalidInput.field(field, `"${v}" is not a date (YYYY-MM-DD) or an instant`);
    return d;
  };
  const to = at('to', q.to, now);
  const from = at('from', q.from, new Date(to.getTime() - 365 * DAY));
  if (from >= to) throw InvalidInput.field('to', 'must be after from');
  return { from, to };
}

async function timeZone(db: Db, workspaceId: string): Promise<string> {
  return (await loadActivePlan(db, workspaceId))?.plan.calendar.timezone ?? 'UTC';
}

export async function summary(db: Db, workspaceId: string, p: Period, by: GroupBy) {
  return {
    from: p.from.toISOString(),
    to: p.to.toISOString(),
    group_by: by,
    groups: await timeStats(db, workspaceId, p, by, await timeZone(db, workspaceId)),
  };
}

/** Everything a year's dashboard shows, in one answer. */
export async function dashboard(db: Db, workspaceId: string, p: Period, now: Date) {
  const tz = await timeZone(db, workspaceId);
  const [sets, targets, rec, items] = await Promise.all([
    timeStatsSets(db, workspaceId, p, tz),
    targetShares(db, workspaceId, p, now),
    recurrence(db, workspaceId, p),
    actionItemStats(db, workspaceId, p, now),
  ]);
  return {
    from: p.from.toISOString(),
    to: p.to.toISOString(),
    overall: sets.none[0] ?? null,
    by_severity: sets.severity,
    by_type: sets.type,
    by_service: sets.service,
    by_month: sets.month,
    targets: targets.targets,
    postmortems_pending: targets.postmortem_pending,
    recurrence: rec,
    action_items: items,
  };
}

export const LOG_COLUMNS = ['Date', 'Incident', 'Type', 'Severity', 'Impact', 'Resolution', 'Post-Mortem'];

/** The incident log with the plan's labels (each incident in the plan version it ran under). */
export async function logEntries(db: Db, workspaceId: string, p: Period, publicUrl: string) {
  const rows = await incidentLog(db, workspaceId, p, await timeZone(db, workspaceId), publicUrl);
  const plans = new Map<string, Awaited<ReturnType<typeof loadPlanVersion>>['plan']>();
  for (const id of new Set(rows.map((r) => r.planVersionId)))
    plans.set(id, (await loadPlanVersion(db, workspaceId, id)).plan);
  return rows.map((r) => {
    const plan = plans.get(r.planVersionId)!;
    return {
      date: r.date,
      incident: r.ref,
      type: pick(incidentType(plan, r.type)?.label, plan.language) || r.type,
      severity: r.severity,
      severity_label: pick(severity(plan, r.severity)?.label, plan.language) || r.severity,
      impact: r.impact,
      resolution: r.resolution,
      status: r.status,
      postmortem: r.postmortem,
    };
  });
}

export function logCsv(entries: Awaited<ReturnType<typeof logEntries>>): string {
  return toCsv(
    LOG_COLUMNS,
    entries.map((e) => [e.date, e.incident, e.type, e.severity, e.impact, e.resolution, e.postmortem ?? '']),
  );
}
