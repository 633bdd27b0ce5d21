import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { resultRows } from '../db/result-rows.ts';
import type { Stat } from './stats.ts';

export type { Stat } from './stats.ts';

export type Period = { from: Date; to: Date };
export const GROUPS = ['none', 'severity', 'type', 'service', 'month'] as const;
export type GroupBy = (typeof GROUPS)[number];

export type GroupRow = {
  key: string;
  incidents: number;
  acknowledged: number;
  resolved: number;
  mttd: Stat;
  mtta: Stat;
  mttr: Stat;
};

/** Real incidents of the period: drills never count. */
export function scope(workspaceId: string, p: Period): SQL {
  return sql`i.workspace_id = ${workspaceId} AND NOT i.drill AND i.detected_at >= ${p.from} AND i.detected_at < ${p.to}`;
}

export type Raw = Record<string, unknown>;

/**
 * One metrics query, without PostgreSQL's parallel workers. The dashboard already runs its
 * queries side by side, one connection each; workers on top of that fought them for the same
 * cores and each rebuilt the query's hash tables: on 2 cores the action items query took
 * 105–125 ms with workers and 51 ms without, recurrence 130–154 ms and 36 ms.
 */
export async function rowsOf(db: Db, q: SQL): Promise<Raw[]> {
  const res = await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL max_parallel_workers_per_gather = 0`);
    return tx.execute(q);
  });
  return resultRows<Raw>(res);
}

export type TargetRow = { kind: string; key: string; met: number; missed: number; share: number | null };

/** For each plan target, how many incidents met it and how many missed it (stored on resolve). */
export async function targetShares(db: Db, workspaceId: string, p: Period, now: Date) {
  const byKind = await rowsOf(
    db,
    // Incidents are counted per set of outcomes first (one narrow row each, a handful of sets),
    // and only those few sets are opened into their clocks and weighted by how many share them.
    // The facts row carries the incident's scope columns under their names: scope() applies.
    sql`SELECT o.kind, o.key, sum(o.met)::int AS met, sum(o.missed)::int AS missed FROM (
      SELECT e->>0 AS kind, e->>1 AS key, g.n * (e->>2 = 'met')::int AS met,
        g.n * (e->>2 = 'breached')::int AS missed
      FROM (SELECT i.outcomes, count(*) AS n FROM incident_target_facts i
        WHERE ${scope(workspaceId, p)} GROUP BY 1) g, json_array_elements(g.outcomes::json) e) o
    GROUP BY ROLLUP (o.kind, o.key) HAVING o.kind IS NOT NULL ORDER BY 1, 2 NULLS FIRST`,
  );
  const [pm] = await rowsOf(
    db,
    sql`SELECT count(*) FILTER (WHERE pm.published_at IS NOT NULL AND (pm.due_at IS NULL OR pm.published_at <= pm.due_at))::int AS met,
      count(*) FILTER (WHERE pm.due_at IS NOT NULL AND (pm.published_at > pm.due_at OR (pm.published_at IS NULL AND pm.due_at < ${now})))::int AS missed,
      count(*) FILTER (WHERE pm.published_at IS NULL AND (pm.due_at IS NULL OR pm.due_at >= ${now}))::int AS pending
    FROM postmortems pm JOIN incidents i ON i.id = pm.incident_id WHERE ${scope(workspaceId, p)}`,
  );
  const share = (met: number, missed: number) => (met + missed ? met / (met + missed) : null);
  const targets: TargetRow[] = byKind.map((r) => ({
    kind: String(r.kind),
    key: r.key === null ? '*' : String(r.key),
    met: Number(r.met),
    missed: Number(r.missed),
    share: share(Number(r.met), Number(r.missed)),
  }));
  const pmMet = Number(pm?.met ?? 0);
  const pmMissed = Number(pm?.missed ?? 0);
  targets.push({
    kind: 'postmortem',
    key: 'postmortem',
    met: pmMet,
    missed: pmMissed,
    share: share(pmMet, pmMissed),
  });
  return { targets, postmortem_pending: Number(pm?.pending ?? 0) };
}

/**
 * Share of the period's incidents that repeat an earlier one: linked as a recurrence, or
 * sharing a root-cause tag with an earlier real incident's post-mortem.
 */
export async function recurrence(db: Db, workspaceId: string, p: Period) {
  // Both conditions as uncorrelated sets (hashed once) rather than two subqueries per incident:
  // a link counts unless its earlier incident is a drill (an anti-join against the few drills;
  // the foreign key guarantees the earlier incident exists).
  const [r] = await rowsOf(
    db,
    sql`SELECT count(*)::int AS incidents, count(*) FILTER (WHERE
      i.id IN (SELECT l.incident_id FROM incident_links l
        WHERE l.workspace_id = ${workspaceId}
          AND NOT EXISTS (SELECT 1 FROM incidents e WHERE e.id = l.recurrence_of AND e.drill))
      OR i.id IN (SELECT mine.incident_id FROM postmortems mine JOIN incidents me ON me.id = mine.incident_id
        JOIN postmortems other ON other.root_causes && mine.root_causes AND other.incident_id <> mine.incident_id
        JOIN incidents e ON e.id = other.incident_id
        WHERE me.workspace_id = ${workspaceId} AND NOT e.drill AND e.detected_at < me.detected_at))::int AS recurrences
    FROM incidents i WHERE ${scope(workspaceId, p)}`,
  );
  const incidents = Number(r?.incidents ?? 0);
  const recurrences = Number(r?.recurrences ?? 0);
  return { incidents, recurrences, rate: incidents ? recurrences / incidents : null };
}

/** Action items of the period's incidents: how many are done, on time, still open, overdue. */
export async function actionItemStats(db: Db, workspaceId: string, p: Period, now: Date) {
  const [r] = await rowsOf(
    db,
    sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE a.status = 'done')::int AS done,
      count(*) FILTER (WHERE a.status = 'wont_do')::int AS wont_do,
      count(*) FILTER (WHERE a.status = 'done' AND (a.due_at IS NULL OR a.completed_at <= a.due_at))::int AS done_on_time,
      count(*) FILTER (WHERE a.status IN ('open', 'in_progress') AND a.due_at <= ${now})::int AS overdue
    FROM action_items a JOIN incidents i ON i.id = a.incident_id WHERE ${scope(workspaceId, p)}`,
  );
  const total = Number(r?.total ?? 0);
  const done = Number(r?.done ?? 0);
  const wont = Number(r?.wont_do ?? 0);
  return {
    total,
    done,
    wont_do: wont,
    open: total - done - wont,
    overdue: Number(r?.overdue ?? 0),
    done_on_time: Number(r?.done_on_time ?? 0),
    completion: total - wont ? done / (total - wont) : null,
  };
}

export type LogRow = {
  ref: string;
  date: string;
  type: string;
  severity: string;
  planVersionId: string;
  impact: string;
  resolution: string;
  status: string;
  postmortem: string | null;
};

/** Seed 002's incident log: date, type, severity, impact, resolution, post-mortem link. */
export async function incidentLog(
  db: Db,
  workspaceId: string,
  p: Period,
  timeZone: string,
  publicUrl: string,
): Promise<LogRow[]> {
  const rows = await rowsOf(
    db,
    sql`SELECT i.number, to_char(i.detected_at AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS date, i.type_key, i.severity_key,
      i.impact, i.status, i.plan_version_id, pm.state AS pm_state,
      (SELECT e.data->>'reason' FROM incident_events e WHERE e.incident_id = i.id AND e.kind = 'status_changed'
        AND e.data->>'to' = 'resolved' ORDER BY e.seq DESC LIMIT 1) AS resolution
    FROM incidents i LEFT JOIN postmortems pm ON pm.incident_id = i.id
    WHERE ${scope(workspaceId, p)} ORDER BY i.detected_at, i.number`,
  );
  const base = publicUrl.replace(/\/$/, '');
  return rows.map((r) => ({
    ref: `INC-${r.number}`,
    date: String(r.date),
    type: String(r.type_key),
    severity: String(r.severity_key),
    planVersionId: String(r.plan_version_id),
    impact: String(r.impact ?? ''),
    resolution: String(r.resolution ?? ''),
    status: String(r.status),
    postmortem: r.pm_state ? `${base}/incidents/INC-${r.number}/postmortem` : null,
  }));
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF rows. */
export function toCsv(header: string[], rows: string[][]): string {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
