import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { recordset } from '../db/recordset.ts';
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
const alertRecords = recordset(alerts);
const updates = sql.raw(MUTABLE.map((k) => `${table[k].name} = excluded.${table[k].name}`).join(', '));

/**
 * The staged rows' write as a statement the caller runs, perhaps as a `WITH` part of its own
 * (the links to an incident go in the same round trip); the staged rows are taken.
 */
export function takeAlertWrites(writes: AlertWrites): SQL | undefined {
  if (writes.size === 0) return undefined;
  const batch = alertRecords.select(writes.values());
  writes.clear();
  return sql`INSERT INTO alerts (${alertRecords.names}) ${batch} ON CONFLICT (id) DO UPDATE SET ${updates}`;
}
