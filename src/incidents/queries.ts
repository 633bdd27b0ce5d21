import { and, asc, desc, eq, gt, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { users } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { NotFound } from '../shared/errors.ts';
import { type Bundle, factsOf, loadBundles } from './bundle.ts';
import { computeClocks, type IncidentClock } from './clocks.ts';
import { OPEN_STATUSES, parseRef } from './model.ts';
import type { ListQuery } from './schemas.ts';
import { incidentEvents, incidentRoles, incidents, incidentTasks, incidentUpdates } from './tables.ts';

export type IncidentRow = typeof incidents.$inferSelect;

export function refCondition(workspaceId: string, ref: string): SQL {
  const r = parseRef(ref);
  // Every lookup is scoped to the caller's workspace: an id from another one is "not found".
  return and(
    eq(incidents.workspaceId, workspaceId),
    'number' in r ? eq(incidents.number, r.number) : eq(incidents.id, r.id),
  )!;
}

export async function findIncident(db: Db, workspaceId: string, ref: string): Promise<IncidentRow> {
  const [row] = await db.select().from(incidents).where(refCondition(workspaceId, ref));
  if (!row) throw new NotFound(`incident ${ref}`);
  return row;
}

/** Loads and row-locks an incident for a verb, so concurrent changes to it apply one by one. */
export async function lockIncident(ctx: Ctx, ref: string): Promise<IncidentRow> {
  const [row] = await ctx.tx.select().from(incidents).where(refCondition(ctx.workspaceId, ref)).for('update');
  if (!row) throw new NotFound(`incident ${ref}`);
  return row;
}

export function listCondition(workspaceId: string, q: ListQuery): SQL {
  const where: (SQL | undefined)[] = [eq(incidents.workspaceId, workspaceId)];
  const status = q.status ?? 'all';
  if (status === 'open') where.push(inArray(incidents.status, [...OPEN_STATUSES]));
  else if (status !== 'all') where.push(eq(incidents.status, status));
  if (q.severity) where.push(eq(incidents.severityKey, q.severity));
  if (q.type) where.push(eq(incidents.typeKey, q.type));
  if (q.service) where.push(sql`${q.service} = ANY(${incidents.services})`);
  if (q.drill === 'true' || q.drill === 'only') where.push(eq(incidents.drill, true));
  if (q.drill === 'false' || q.drill === 'exclude') where.push(eq(incidents.drill, false));
  if (q.before) where.push(lt(incidents.number, q.before));
  return and(...where)!;
}

/** Open incidents first, the most severe first; then the most recent. */
export const LIST_ORDER: SQL[] = [
  sql`CASE WHEN ${incidents.status} IN ('resolved', 'closed') THEN 1 ELSE 0 END`,
  asc(incidents.severityRank),
  desc(incidents.number),
];

export async function listIncidents(db: Db, workspaceId: string, q: ListQuery): Promise<Bundle[]> {
  return loadBundles(db, listCondition(workspaceId, q), {
    full: false,
    orderBy: LIST_ORDER,
    limit: q.limit ?? 50,
  });
}

/** One incident with everything its detail view needs, or NotFound. */
export async function loadIncident(db: Db, workspaceId: string, ref: string): Promise<Bundle> {
  const [b] = await loadBundles(db, refCondition(workspaceId, ref), { full: true });
  if (!b) throw new NotFound(`incident ${ref}`);
  return b;
}

/** An incident's row and its clocks, read together; undefined if there is no such incident. */
export async function incidentClocks(
  db: Db,
  incidentId: string,
  now: Date,
): Promise<{ row: IncidentRow; clocks: IncidentClock[] } | undefined> {
  const [b] = await loadBundles(db, eq(incidents.id, incidentId), { full: false });
  if (!b) return undefined;
  const { plan } = await loadPlanVersion(db, b.row.workspaceId, b.row.planVersionId);
  return { row: b.row, clocks: computeClocks(plan, factsOf(b), now) };
}

export async function roleHolders(db: Db, incidentId: string) {
  return db
    .select({
      role: incidentRoles.roleKey,
      userId: users.id,
      email: users.email,
      name: users.name,
      assignedAt: incidentRoles.assignedAt,
    })
    .from(incidentRoles)
    .innerJoin(users, eq(users.id, incidentRoles.userId))
    .where(eq(incidentRoles.incidentId, incidentId));
}

export async function listTasks(db: Db, incidentId: string) {
  return db
    .select({
      id: incidentTasks.id,
      source: incidentTasks.source,
      sourceKey: incidentTasks.sourceKey,
      position: incidentTasks.position,
      title: incidentTasks.title,
      titleI18n: incidentTasks.titleI18n,
      roleKey: incidentTasks.roleKey,
      assigneeId: incidentTasks.assigneeId,
      assigneeEmail: users.email,
      dueAt: incidentTasks.dueAt,
      doneAt: incidentTasks.doneAt,
      doneBy: incidentTasks.doneBy,
    })
    .from(incidentTasks)
    .leftJoin(users, eq(users.id, incidentTasks.assigneeId))
    .where(eq(incidentTasks.incidentId, incidentId))
    .orderBy(asc(incidentTasks.position));
}

/**
 * Timeline in time order. `after` is an event id the client already has: the page starts after
 * it, which lets a reconnecting live view catch up without gaps or repeats.
 */
export async function listTimeline(
  db: Db,
  incidentId: string,
  opts: { after?: string; limit?: number } = {},
) {
  let cond: SQL | undefined = eq(incidentEvents.incidentId, incidentId);
  if (opts.after) {
    const [anchor] = await db
      .select({ seq: incidentEvents.seq })
      .from(incidentEvents)
      .where(and(eq(incidentEvents.incidentId, incidentId), eq(incidentEvents.id, opts.after)));
    if (anchor) cond = and(cond, gt(incidentEvents.seq, anchor.seq));
  }
  return db
    .select()
    .from(incidentEvents)
    .where(cond)
    .orderBy(asc(incidentEvents.seq))
    .limit(opts.limit ?? 1000);
}

export async function listUpdates(db: Db, incidentId: string) {
  return db
    .select()
    .from(incidentUpdates)
    .where(eq(incidentUpdates.incidentId, incidentId))
    .orderBy(asc(incidentUpdates.postedAt));
}
