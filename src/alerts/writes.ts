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

const columns = getTableColumns(alerts);
const onConflictSet = Object.fromEntries(
  MUTABLE.map((k) => [k, sql.raw(`excluded.${columns[k].name}`)]),
) as Record<(typeof MUTABLE)[number], ReturnType<typeof sql.raw>>;

/** 23 columns a row: 500 rows stay well under PostgreSQL's 65,535 bind parameters. */
const CHUNK = 500;

export async function flushAlertWrites(ctx: Ctx, writes: AlertWrites): Promise<void> {
  if (writes.size === 0) return;
  const rows = [...writes.values()];
  writes.clear();
  for (let i = 0; i < rows.length; i += CHUNK)
    await ctx.tx
      .insert(alerts)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoUpdate({ target: alerts.id, set: onConflictSet });
}
