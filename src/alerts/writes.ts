import { getTableColumns, sql } from 'drizzle-orm';
import type { Ctx } from '../kernel/verb.ts';
import type { AlertRow } from './ingest.ts';
import { alerts } from './tables.ts';

/**
 * Alert rows an ingest transaction has changed but not yet written. A storm re-sends thousands
 * of known alerts per second; one statement per alert made the row writes most of a post's cost.
 * They are written together, as one multi-row upsert, whenever something else is about to read
 * them (linking them to an incident, counting what still fires, another module's verb) and at
 * the end of the post.
 */
export type AlertWrites = Map<string, AlertRow>;

export const newAlertWrites = (): AlertWrites => new Map();

/** Columns an ingest may change on a known alert; its identity and first sighting never change. */
const MUTABLE = [
  'status',
  'title',
  'labels',
  'annotations',
  'raw',
  'startsAt',
  'endsAt',
  'lastSeenAt',
  'count',
  'transitions',
  'flapSince',
  'flapping',
  'routeKey',
  'action',
  'suppressedBy',
  'incidentId',
] as const satisfies readonly (keyof AlertRow)[];

const table = getTableColumns(alerts);
const columns = Object.entries(table);
/** The record type the batch is read back as: `id uuid, workspace_id uuid, …`. */
const recordType = sql.raw(columns.map(([, c]) => `${c.name} ${c.getSQLType()}`).join(', '));
const names = sql.raw(columns.map(([, c]) => c.name).join(', '));
const updates = sql.raw(MUTABLE.map((k) => `${table[k].name} = excluded.${table[k].name}`).join(', '));

/** Rows keyed by column name, as `json_to_recordset` reads them. */
const asRecord = (row: AlertRow) => {
  const out: Record<string, unknown> = {};
  for (const [key, c] of columns) out[c.name] = row[key as keyof AlertRow];
  return out;
};

/**
 * One statement and one bind parameter for the whole batch: the rows travel as a JSON array
 * and PostgreSQL turns it back into records. Building a multi-row VALUES list through the query
 * builder spent more time in JavaScript (per-value checks on 23 columns × hundreds of rows) than
 * the database spent writing.
 */
export async function flushAlertWrites(ctx: Ctx, writes: AlertWrites): Promise<void> {
  if (writes.size === 0) return;
  const rows = JSON.stringify([...writes.values()].map(asRecord));
  writes.clear();
  await ctx.tx.execute(
    sql`INSERT INTO alerts (${names}) SELECT ${names} FROM json_to_recordset(${rows}::json) AS x(${recordType}) ON CONFLICT (id) DO UPDATE SET ${updates}`,
  );
}
