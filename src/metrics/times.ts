import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { parseTextArray } from '../shared/text-array.ts';
import { fromWall, toWall } from '../shared/zoned.ts';
import { type GroupBy, type GroupRow, type Period, rowsOf, scope } from './queries.ts';
import { float8s, type Stat, statsByGroup } from './stats.ts';

/** Milliseconds as float8 (date_part: extract returns numeric, several times slower), NaN if unreached. */
const packed = (a: SQL) =>
  sql`string_agg(float8send(coalesce(date_part('epoch', ${a}) * 1000, 'NaN')), ''::bytea)`;

/** The instants at which each month of the period begins in the plan's zone, and one past the end. */
function monthStarts(p: Period, timeZone: string): { at: Date; key: string }[] {
  const first = toWall(p.from, timeZone);
  const out: { at: Date; key: string }[] = [];
  for (let k = 0; ; k++) {
    const year = first.year + Math.floor((first.month - 1 + k) / 12);
    const month = ((first.month - 1 + k) % 12) + 1;
    const at = fromWall({ year, month, day: 1, hour: 0, minute: 0, second: 0 }, timeZone);
    out.push({ at, key: `${year}-${String(month).padStart(2, '0')}` });
    if (at >= p.to) return out;
  }
}

/** For each grouping, the group names and which group (or groups) each incident falls in. */
type Grouping = { names: string[]; rows: Int32Array; groups: Int32Array };
type Columns = {
  by: Record<GroupBy, Grouping>;
  mttd: Float64Array;
  mtta: Float64Array;
  mttr: Float64Array;
};

/** Separators: never in a plan key, and JSON escapes them. */
const ROW = '\x1f';
const FIELD = '\x1e';
type Encoding = 'text' | 'json';

/**
 * Groups rows by their combination, then each grouping from the combinations: the names a
 * combination falls under (an incident touching two services counts once for each).
 */
function grouping(comboNames: string[][], rowCombo: Int32Array): Grouping {
  const names: string[] = [];
  const index = new Map<string, number>();
  const codes = comboNames.map((list) =>
    list.map((nm) => {
      let c = index.get(nm);
      if (c === undefined) {
        c = names.length;
        names.push(nm);
        index.set(nm, c);
      }
      return c;
    }),
  );
  let total = 0;
  for (let i = 0; i < rowCombo.length; i++) total += codes[rowCombo[i]!]!.length;
  const rows = new Int32Array(total);
  const groups = new Int32Array(total);
  let k = 0;
  for (let i = 0; i < rowCombo.length; i++)
    for (const c of codes[rowCombo[i]!]!) {
      rows[k] = i;
      groups[k++] = c;
    }
  return { names, rows, groups };
}

/**
 * One scan and one row: each incident's combination of keys (joined by separators) and its
 * durations packed as binary float8. Grouping in SQL made PostgreSQL sort every incident by its
 * keys (it cannot guess how few combinations there are) and spill to disk, and one row per
 * incident costs more to parse than to compute. No time-zone conversion runs per row: the month
 * is a bucket between precomputed starts.
 */
async function columns(
  db: Db,
  workspaceId: string,
  p: Period,
  timeZone: string,
  encoding: Encoding = 'text',
): Promise<Columns | null> {
  const months = monthStarts(p, timeZone);
  const bounds = sql`ARRAY[${sql.join(
    months.map((m) => sql`${m.at}::timestamptz`),
    sql`, `,
  )}]`;
  const [r] = await rowsOf(
    db,
    // Severity and type keys are plan keys (letters, digits, _ . -), but a service named from an
    // alert label may hold anything; printed plainly it could hold a separator, which the split
    // below detects and answers by asking again in JSON (which escapes control characters).
    // All aggregates of one Agg node see the rows in one order.
    sql`SELECT count(*)::int AS n,
      ${
        encoding === 'text'
          ? sql`string_agg(concat_ws(${FIELD}, i.severity_key, i.type_key, i.services::text,
        width_bucket(i.detected_at, ${bounds})), ${ROW})`
          : sql`string_agg(json_build_array(i.severity_key, i.type_key, i.services,
        width_bucket(i.detected_at, ${bounds}))::text, ${ROW})`
      } AS combo,
      ${packed(sql`i.detected_at - o.began_at`)} AS mttd,
      ${packed(sql`i.acknowledged_at - i.detected_at`)} AS mtta,
      ${packed(sql`i.resolved_at - i.detected_at`)} AS mttr
    FROM incidents i LEFT JOIN incident_onsets o ON o.incident_id = i.id
    WHERE ${scope(workspaceId, p)}`,
  );
  const n = Number(r?.n ?? 0);
  if (!r || n === 0) return null;
  const comboIndex = new Map<string, number>();
  const combos: [severity: string, type: string, services: string[], month: string][] = [];
  const rowCombo = new Int32Array(n);
  const texts = String(r.combo).split(ROW);
  if (texts.length !== n) return columns(db, workspaceId, p, timeZone, 'json');
  for (let i = 0; i < n; i++) {
    const text = texts[i]!;
    // width_bucket counts from 1 for the first month; the period never reaches past the last start.
    let c = comboIndex.get(text);
    if (c === undefined) {
      const f =
        encoding === 'json' ? (JSON.parse(text) as [string, string, string[], number]) : text.split(FIELD);
      if (f.length !== 4) return columns(db, workspaceId, p, timeZone, 'json');
      const services = (typeof f[2] === 'string' ? parseTextArray(f[2]) : f[2]).filter((x) => x !== null);
      c = combos.length;
      combos.push([String(f[0]), String(f[1]), services, months[Number(f[3]) - 1]!.key]);
      comboIndex.set(text, c);
    }
    rowCombo[i] = c;
  }
  const of = (pick: (combo: (typeof combos)[number]) => string[]) => grouping(combos.map(pick), rowCombo);
  return {
    by: {
      none: of(() => ['all']),
      severity: of((f) => [f[0]!]),
      type: of((f) => [f[1]!]),
      // An incident touching two services counts once for each; one touching none, under "(none)".
      service: of((f) => (f[2].length ? f[2] : ['(none)'])),
      month: of((f) => [f[3]]),
    },
    mttd: float8s(bytes(r.mttd)),
    mtta: float8s(bytes(r.mtta)),
    mttr: float8s(bytes(r.mttr)),
  };
}

/** node-postgres hands bytea over as a Buffer, PGlite as a Uint8Array; both are Uint8Arrays. */
function bytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  throw new Error(`expected bytea, got ${typeof v}`);
}

function grouped(c: Columns | null, by: GroupBy): GroupRow[] {
  if (!c) return [];
  const { names, rows, groups } = c.by[by];
  const incidents = new Int32Array(names.length);
  for (const g of groups) incidents[g]!++;
  const stats = (values: Float64Array): Stat[] => statsByGroup(values, rows, groups, names.length);
  const [mttd, mtta, mttr] = [stats(c.mttd), stats(c.mtta), stats(c.mttr)];
  return names
    .map((key, g) => ({
      key,
      incidents: incidents[g]!,
      acknowledged: mtta[g]!.n,
      resolved: mttr[g]!.n,
      mttd: mttd[g]!,
      mtta: mtta[g]!,
      mttr: mttr[g]!,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
  return grouped(await columns(db, workspaceId, p, timeZone), by);
}

/** The overall, per-severity, per-type, per-month and per-service times from one scan, for the dashboard. */
export async function timeStatsSets(db: Db, workspaceId: string, p: Period, timeZone: string) {
  const c = await columns(db, workspaceId, p, timeZone);
  const none = grouped(c, 'none');
  const zero = { n: 0, mean_ms: null, p50_ms: null, p90_ms: null, p99_ms: null };
  return {
    // The dashboard's overall figure exists for an empty period too: zero incidents.
    none: none.length
      ? none
      : [{ key: 'all', incidents: 0, acknowledged: 0, resolved: 0, mttd: zero, mtta: zero, mttr: zero }],
    severity: grouped(c, 'severity'),
    type: grouped(c, 'type'),
    month: grouped(c, 'month'),
    service: grouped(c, 'service'),
  };
}
