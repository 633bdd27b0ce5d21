import { and, asc, desc, eq, gt, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { users } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { NotFound } from '../shared/errors.ts';
import { type ClockFacts, computeClocks, type IncidentClock } from './clocks.ts';
import { OPEN_STATUSES, parseRef } from './model.ts';
import type { ListQuery } from './schemas.ts';
import {
  incidentEvents,
  incidentObligations,
  incidentPhases,
  incidentRoles,
  incidents,
  incidentTasks,
  incidentUpdates,
} from './tables.ts';

export type IncidentRow = typeof incidents.$inferSelect;

function refCondition(workspaceId: string, ref: string): SQL {
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

export async function listIncidents(db: Db, workspaceId: string, q: ListQuery): Promise<IncidentRow[]> {
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
  // Open incidents first, the most severe first; then the most recent.
  return db
    .select()
    .from(incidents)
    .where(and(...where))
    .orderBy(
      sql`CASE WHEN ${incidents.status} IN ('resolved', 'closed') THEN 1 ELSE 0 END`,
      asc(incidents.severityRank),
      desc(incidents.number),
    )
    .limit(q.limit ?? 50);
}

export async function clockFacts(db: Db, row: IncidentRow): Promise<ClockFacts> {
  const [phases, updates, obligations] = await Promise.all([
    db
      .select({
        key: incidentPhases.phaseKey,
        enteredAt: incidentPhases.enteredAt,
        completedAt: incidentPhases.completedAt,
      })
      .from(incidentPhases)
      .where(eq(incidentPhases.incidentId, row.id))
      .orderBy(asc(incidentPhases.enteredAt)),
    db
      .select({
        audience: incidentUpdates.audience,
        postedAt: incidentUpdates.postedAt,
        nextUpdateDueAt: incidentUpdates.nextUpdateDueAt,
      })
      .from(incidentUpdates)
      .where(eq(incidentUpdates.incidentId, row.id))
      .orderBy(asc(incidentUpdates.postedAt)),
    db
      .select({
        key: incidentObligations.obligationKey,
        startedAt: incidentObligations.startedAt,
        metAt: incidentObligations.metAt,
        waivedAt: incidentObligations.waivedAt,
      })
      .from(incidentObligations)
      .where(eq(incidentObligations.incidentId, row.id)),
  ]);
  return {
    severityKey: row.severityKey,
    typeKey: row.typeKey,
    status: row.status,
    detectedAt: row.detectedAt,
    declaredAt: row.declaredAt,
    acknowledgedAt: row.acknowledgedAt,
    resolvedAt: row.resolvedAt,
    postmortemPublishedAt: row.postmortemPublishedAt,
    phases,
    updates,
    obligations,
  };
}

export async function incidentClocks(db: Db, row: IncidentRow, now: Date): Promise<IncidentClock[]> {
  const { plan } = await loadPlanVersion(db, row.workspaceId, row.planVersionId);
  return computeClocks(plan, await clockFacts(db, row), now);
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

export async function openTaskCount(db: Db, incidentIds: string[]): Promise<Map<string, number>> {
  if (incidentIds.length === 0) return new Map();
  const rows = await db
    .select({ id: incidentTasks.incidentId, n: sql<number>`count(*)::int` })
    .from(incidentTasks)
    .where(and(inArray(incidentTasks.incidentId, incidentIds), sql`${incidentTasks.doneAt} IS NULL`))
    .groupBy(incidentTasks.incidentId);
  return new Map(rows.map((r) => [r.id, r.n]));
}
