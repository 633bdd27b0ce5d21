import { eq, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../kernel/verb.ts';
import { newId } from '../shared/ids.ts';
import { incidentEvents, incidents } from './tables.ts';

type Ref = { id: string; number: number };

export type Change = { incident: Ref; kind: string; text: string; data?: Record<string, unknown> };

/**
 * Records a change on the incident's timeline and in the audit chain, and tells live views.
 * Every verb that changes an incident ends here, so the timeline is generated from the changes
 * themselves rather than written separately.
 */
export async function recordChange(
  ctx: Ctx,
  incident: Ref,
  kind: string,
  text: string,
  data: Record<string, unknown> = {},
): Promise<string> {
  const [id] = await recordChanges(ctx, [{ incident, kind, text, data }]);
  return id!;
}

/**
 * Many changes in one insert, in order: a batch of escalation steps writes one line each.
 * `leading`, a `WITH` clause of the caller's own writes, goes in the same statement, one round
 * trip fewer (an alert round's rows and links).
 */
export async function recordChanges(ctx: Ctx, changes: Change[], leading?: SQL): Promise<string[]> {
  const ids: string[] = [];
  // Chunked to stay under the bind-parameter limit.
  for (let i = 0; i < changes.length; i += 500) {
    const { insert, ids: chunk } = changeWrite(ctx, changes.slice(i, i + 500));
    if (i === 0 && leading) await ctx.tx.execute(sql`${leading} ${insert}`);
    else await ctx.tx.execute(insert);
    ids.push(...chunk);
  }
  return ids;
}

/**
 * The timeline insert for `changes` (at most a few hundred), for a caller that runs it as part
 * of a statement of its own; the audit records and live events are raised now, as
 * `recordChanges` does.
 */
export function changeWrite(ctx: Ctx, changes: Change[]): { insert: SQL; ids: string[] } {
  const rows = changes.map((c) => ({
    id: newId(),
    incidentId: c.incident.id,
    at: ctx.now,
    actor: ctx.actor,
    kind: c.kind,
    text: c.text,
    data: c.data ?? {},
  }));
  changes.forEach((c, i) => {
    ctx.audit(`incident.${c.kind}`, 'incident', c.incident.id, { number: c.incident.number, ...c.data });
    ctx.publish({ type: 'incident.changed', incidentId: c.incident.id, id: rows[i]!.id });
  });
  return { insert: ctx.tx.insert(incidentEvents).values(rows).getSQL(), ids: rows.map((r) => r.id) };
}

/** Marks the incident row changed: a new version for optimistic clients, a new updated-at. */
export async function touch(
  ctx: Ctx,
  incidentId: string,
  patch: Partial<typeof incidents.$inferInsert> = {},
) {
  await ctx.tx
    .update(incidents)
    .set({ ...patch, updatedAt: ctx.now, version: sql`${incidents.version} + 1` })
    .where(eq(incidents.id, incidentId));
}
