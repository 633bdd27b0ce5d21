import { and, eq, or, sql } from 'drizzle-orm';
import { users } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import { formatNumber, parseRef } from '../incidents/model.ts';
import { lockIncident, refCondition } from '../incidents/queries.ts';
import { incidents } from '../incidents/tables.ts';
import { recordChange } from '../incidents/timeline.ts';
import type { Ctx } from '../kernel/verb.ts';
import { InvalidInput, NotAllowed } from '../shared/errors.ts';
import type { ActionItemQuery } from './schemas.ts';
import { actionItems, incidentLinks } from './tables.ts';

/** Marks `ref` as a recurrence of an earlier incident: the same problem, back again. */
export async function linkRecurrence(ctx: Ctx, ref: string, of: string, note = ''): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  parseRef(of);
  const [earlier] = await ctx.tx.select().from(incidents).where(refCondition(ctx.workspaceId, of));
  if (!earlier) throw InvalidInput.field('of', `incident ${of} not found`);
  if (earlier.id === inc.id) throw InvalidInput.field('of', 'an incident cannot recur of itself');
  if (earlier.detectedAt > inc.detectedAt)
    throw new NotAllowed(
      `${formatNumber(earlier.number)} was detected after ${formatNumber(inc.number)}; link the later one to it`,
      [{ field: 'of', message: 'is the later incident' }],
    );
  const inserted = await ctx.tx
    .insert(incidentLinks)
    .values({
      workspaceId: ctx.workspaceId,
      incidentId: inc.id,
      recurrenceOf: earlier.id,
      note,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: incidentLinks.incidentId });
  if (inserted.length === 0) return;
  await recordChange(
    ctx,
    inc,
    'recurrence_linked',
    `Recurrence of ${formatNumber(earlier.number)}${note ? `: ${note}` : ''}`,
    {
      recurrence_of: earlier.id,
      recurrence_of_number: earlier.number,
    },
  );
}

export async function recurrencesOf(db: Db, incidentId: string) {
  const rows = await db
    .select({ a: incidentLinks.incidentId, b: incidentLinks.recurrenceOf })
    .from(incidentLinks)
    .where(or(eq(incidentLinks.incidentId, incidentId), eq(incidentLinks.recurrenceOf, incidentId)));
  const ids = rows.map((r) => (r.a === incidentId ? r.b : r.a));
  if (ids.length === 0) return [];
  return db
    .select({ number: incidents.number, title: incidents.title })
    .from(incidents)
    .where(
      sql`${incidents.id} IN (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    )
    .orderBy(incidents.number);
}

/** Action items across incidents, soonest due first; undated ones last. */
export async function listActionItems(db: Db, workspaceId: string, q: ActionItemQuery, now: Date) {
  const where = [eq(actionItems.workspaceId, workspaceId)];
  if (q.status === 'unfinished') where.push(sql`${actionItems.status} IN ('open', 'in_progress')`);
  else if (q.status) where.push(eq(actionItems.status, q.status));
  if (q.overdue === 'true')
    where.push(sql`${actionItems.status} IN ('open', 'in_progress') AND ${actionItems.dueAt} <= ${now}`);
  if (q.owner)
    where.push(
      sql`(lower(${users.email}) = ${q.owner.toLowerCase()} OR ${actionItems.ownerLabel} = ${q.owner})`,
    );
  if (q.incident) where.push(refCondition(workspaceId, q.incident));
  return db
    .select({
      id: actionItems.id,
      incidentNumber: incidents.number,
      incidentTitle: incidents.title,
      drill: incidents.drill,
      number: actionItems.number,
      title: actionItems.title,
      ownerEmail: users.email,
      ownerLabel: actionItems.ownerLabel,
      priority: actionItems.priority,
      status: actionItems.status,
      dueOn: actionItems.dueOn,
      dueAt: actionItems.dueAt,
      trackerUrl: actionItems.trackerUrl,
      completedAt: actionItems.completedAt,
      remindedAt: actionItems.remindedAt,
    })
    .from(actionItems)
    .innerJoin(incidents, eq(incidents.id, actionItems.incidentId))
    .leftJoin(users, eq(users.id, actionItems.ownerId))
    .where(and(...where))
    .orderBy(sql`${actionItems.dueAt} ASC NULLS LAST`, incidents.number, actionItems.number)
    .limit(1000);
}
