import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

export type Period = { from: Date; to: Date };
export const GROUPS = ['none', 'severity', 'type', 'service', 'month'] as const;
export type GroupBy = (typeof GROUPS)[number];

export type Stat = {
  n: number;
  mean_ms: number | null;
  p50_ms: number | null;
  p90_ms: number | null;
  p99_ms: number | null;
};
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
function scope(workspaceId: string, p: Period): SQL {
  return sql`i.workspace_id = ${workspaceId} AND NOT i.drill AND i.detected_at >= ${p.from} AND i.detected_at < ${p.to}`;
}

const ms = (a: SQL) => sql`(extract(epoch FROM ${a}) * 1000)`;
const MTTD = ms(sql`i.detected_at - o.began_at`);
const MTTA = ms(sql`i.acknowledged_at - i.detected_at`);
const MTTR = ms(sql`i.resolved_at - i.detected_at`);

function stat(name: string, expr: SQL): SQL {
  return sql`count(${expr})::int AS ${sql.raw(`${name}_n`)},
    avg(${expr})::float8 AS ${sql.raw(`${name}_mean`)},
    percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY ${expr}) AS ${sql.raw(`${name}_p`)}`;
}

function groupKey(by: GroupBy, timeZone: string): { key: SQL; from: SQL } {
  switch (by) {
    case 'severity':
      return { key: sql`i.severity_key`, from: sql`` };
    case 'type':
      return { key: sql`i.type_key`, from: sql`` };
    case 'service':
      // An incident touching two services counts once for each; one touching none, under "(none)".
      return {
        key: sql`svc.name`,
        from: sql`CROSS JOIN LATERAL unnest(CASE WHEN cardinality(i.services) = 0 THEN ARRAY['(none)'] ELSE i.services END) AS svc(name)`,
      };
    case 'month':
      return { key: sql`to_char(i.detected_at AT TIME ZONE ${timeZone}, 'YYYY-MM')`, from: sql`` };
    default:
      return { key: sql`'all'`, from: sql`` };
  }
}

type Raw = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
function pct(v: unknown): (number | null)[] {
  if (v === null || v === undefined) return [null, null, null];
  const arr = typeof v === 'string' ? v.replace(/[{}]/g, '').split(',').map(Number) : (v as number[]);
  return arr.map((x) => (x === null || Number.isNaN(Number(x)) ? null : Math.round(Number(x))));
}
function toStat(r: Raw, name: string): Stat {
  const n = Number(r[`${name}_n`]);
  const [p50, p90, p99] = n ? pct(r[`${name}_p`]) : [null, null, null];
  return {
    n,
    mean_ms: n ? num(r[`${name}_mean`]) : null,
    p50_ms: p50 ?? null,
    p90_ms: p90 ?? null,
    p99_ms: p99 ?? null,
  };
}

/**
 * MTTD (onset → detected), MTTA (detected → acknowledged), MTTR (detected → resolved) with
 * means and percentiles, per group. Unacknowledged and unresolved incidents count in
 * `incidents` but not in the times they have not reached; an incident reopened and resolved
 * again counts to its final resolution.
 */
export async function timeStats(
  db: Db,
  workspaceId: string,
  p: Period,
  by: GroupBy,
  timeZone: string,
): Promise<GroupRow[]> {
  const g = groupKey(by, timeZone);
  const list = await rowsOf(
    db,
    sql`
    SELECT ${g.key} AS key, count(*)::int AS incidents, count(i.acknowledged_at)::int AS acknowledged,
      count(i.resolved_at)::int AS resolved, ${stat('mttd', MTTD)}, ${stat('mtta', MTTA)}, ${stat('mttr', MTTR)}
    FROM incidents i LEFT JOIN incident_onsets o ON o.incident_id = i.id ${g.from}
    WHERE ${scope(workspaceId, p)}
    GROUP BY 1 ORDER BY 1`,
  );
  return list.map((r) => ({
    key: String(r.key),
    incidents: Number(r.incidents),
    acknowledged: Number(r.acknowledged),
    resolved: Number(r.resolved),
    mttd: toStat(r, 'mttd'),
    mtta: toStat(r, 'mtta'),
    mttr: toStat(r, 'mttr'),
  }));
}

/**
 * The overall, per-severity, per-type and per-month times in one scan (GROUPING SETS), for the
 * dashboard: the same aggregates as timeStats, a quarter of the reads.
 */
export async function timeStatsSets(db: Db, workspaceId: string, p: Period, timeZone: string) {
  const month = sql`to_char(i.detected_at AT TIME ZONE ${timeZone}, 'YYYY-MM')`;
  const list = await rowsOf(
    db,
    sql`
    SELECT GROUPING(i.severity_key) AS gs, GROUPING(i.type_key) AS gt, GROUPING(m.month) AS gm,
      i.severity_key, i.type_key, m.month, count(*)::int AS incidents, count(i.acknowledged_at)::int AS acknowledged,
      count(i.resolved_at)::int AS resolved, ${stat('mttd', MTTD)}, ${stat('mtta', MTTA)}, ${stat('mttr', MTTR)}
    FROM incidents i LEFT JOIN incident_onsets o ON o.incident_id = i.id CROSS JOIN LATERAL (SELECT ${month} AS month) m
    WHERE ${scope(workspaceId, p)}
    GROUP BY GROUPING SETS ((), (i.severity_key), (i.type_key), (m.month))`,
  );
  const out: Record<'none' | 'severity' | 'type' | 'month', GroupRow[]> = {
    none: [],
    severity: [],
    type: [],
    month: [],
  };
  for (const r of list) {
    const set =
      Number(r.gs) === 0 ? 'severity' : Number(r.gt) === 0 ? 'type' : Number(r.gm) === 0 ? 'month' : 'none';
    const key =
      set === 'severity' ? r.severity_key : set === 'type' ? r.type_key : set === 'month' ? r.month : 'all';
    out[set].push({
      key: String(key),
      incidents: Number(r.incidents),
      acknowledged: Number(r.acknowledged),
      resolved: Number(r.resolved),
      mttd: toStat(r, 'mttd'),
      mtta: toStat(r, 'mtta'),
      mttr: toStat(r, 'mttr'),
    });
  }
  for (const k of Object.keys(out) as (keyof typeof out)[])
    out[k].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}

async function rowsOf(db: Db, q: SQL): Promise<Raw[]> {
  const res = (await db.execute(q)) as unknown as { rows?: Raw[] } | Raw[];
  return Array.isArray(res) ? res : (res.rows ?? []);
}

export type TargetRow = { kind: string; key: string; met: number; missed: number; share: number | null };

/** For each plan target, how many incidents met it and how many missed it (stored on resolve). */
export async function targetShares(db: Db, workspaceId: string, p: Period, now: Date) {
  const byKind = await rowsOf(
    db,
    sql`SELECT r.kind, r.clock_key AS key, count(*) FILTER (WHERE r.state = 'met')::int AS met,
      count(*) FILTER (WHERE r.state = 'breached')::int AS missed
    FROM incident_clock_results r JOIN incidents i ON i.id = r.incident_id
    WHERE ${scope(workspaceId, p)} AND r.state IN ('met', 'breached')
    GROUP BY ROLLUP (r.kind, r.clock_key) HAVING r.kind IS NOT NULL ORDER BY 1, 2 NULLS FIRST`,
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
  const [r] = await rowsOf(
    db,
    sql`SELECT count(*)::int AS incidents, count(*) FILTER (WHERE
      EXISTS (SELECT 1 FROM incident_links l JOIN incidents e ON e.id = l.recurrence_of WHERE l.incident_id = i.id AND NOT e.drill)
      OR EXISTS (SELECT 1 FROM postmortems mine JOIN postmortems other ON other.root_causes && mine.root_causes
        JOIN incidents e ON e.id = other.incident_id
        WHERE mine.incident_id = i.id AND other.incident_id <> i.id AND NOT e.drill AND e.detected_at < i.detected_at))::int AS recurrences
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
