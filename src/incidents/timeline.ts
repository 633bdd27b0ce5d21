import { eq, sql } from 'drizzle-orm';
import type { Ctx } from '../kernel/verb.ts';
import { newId } from '../shared/ids.ts';
import { incidentEvents, incidents } from './tables.ts';

type Ref = { id: string; number: number };

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
  const id = newId();
  await ctx.tx
    .insert(incidentEvents)
    .values({ id, incidentId: incident.id, at: ctx.now, actor: ctx.actor, kind, text, data });
  ctx.audit(`incident.${kind}`, 'incident', incident.id, { number: incident.number, ...data });
  ctx.publish({ type: 'incident.changed', incidentId: incident.id, id });
  return id;
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
