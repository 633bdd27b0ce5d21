import { and, eq, sql } from 'drizzle-orm';
import { memberships, users } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import { formatNumber } from '../incidents/model.ts';
import { lockIncident } from '../incidents/queries.ts';
import { incidents } from '../incidents/tables.ts';
import { recordChange } from '../incidents/timeline.ts';
import type { Env } from '../kernel/env.ts';
import { type Ctx, runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { commanderRole, type Plan } from '../plans/index.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { newId, UUID_RE } from '../shared/ids.ts';
import { addDays, fromWall } from '../shared/zoned.ts';
import type { ActionItemInput, ActionItemPatch } from './schemas.ts';
import { type ActionStatus, actionItems } from './tables.ts';

export const REMIND_JOB = 'postmortems.action_item_overdue';
const DEFAULT_PRIORITIES = ['P0', 'P1', 'P2'];

export function priorities(plan: Plan): string[] {
  return plan.postmortem?.action_items.priorities ?? DEFAULT_PRIORITIES;
}

function checkPriority(plan: Plan, p: string): string {
  const allowed = priorities(plan);
  const hit = allowed.find((x) => x.toLowerCase() === p.toLowerCase());
  if (!hit)
    throw InvalidInput.field('priority', `"${p}" is not one of the plan's priorities: ${allowed.join(', ')}`);
  return hit;
}

/** An item due on a date is overdue once that whole day has passed in the plan's time zone. */
export function overdueAt(dueOn: string, timeZone: string): Date {
  const [year, month, day] = dueOn.split('-').map(Number) as [number, number, number];
  const next = addDays({ year, month, day, hour: 0, minute: 0, second: 0 }, 1);
  return fromWall(next, timeZone);
}

async function memberId(ctx: Ctx, field: string, ref: string): Promise<string> {
  const [u] = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.workspaceId, ctx.workspaceId)),
    )
    .where(UUID_RE.test(ref) ? eq(users.id, ref) : sql`lower(${users.email}) = ${ref.toLowerCase()}`);
  if (!u) throw InvalidInput.field(field, `"${ref}" is not a member of this workspace`);
  return u.id;
}

function schedule(ctx: Ctx, item: { id: string; dueAt: Date | null; remindToken: number }): void {
  // A process without a job queue (an admin command, a request-path test) leaves the wake-up to
  // the auditor, which finds every overdue item that was never reminded.
  if (!item.dueAt || !ctx.env.jobs) return;
  ctx.enqueue({
    name: REMIND_JOB,
    data: { workspaceId: ctx.workspaceId, id: item.id, token: item.remindToken },
    startAfter: item.dueAt,
  });
}

export async function addActionItem(ctx: Ctx, ref: string, input: ActionItemInput) {
  const inc = await lockIncident(ctx, ref);
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  const priority = checkPriority(plan, input.priority);
  const ownerId = input.owner ? await memberId(ctx, 'owner', input.owner) : null;
  const [{ n }] = (await ctx.tx
    .select({ n: sql<number>`coalesce(max(${actionItems.number}), 0)::int` })
    .from(actionItems)
    .where(eq(actionItems.incidentId, inc.id))) as [{ n: number }];
  const id = newId();
  const dueAt = input.due_on ? overdueAt(input.due_on, plan.calendar.timezone) : null;
  const row = {
    id,
    workspaceId: ctx.workspaceId,
    incidentId: inc.id,
    number: Number(n) + 1,
    title: input.title,
    ownerId,
    ownerLabel: input.owner_label ?? '',
    priority,
    status: 'open' as const,
    dueOn: input.due_on ?? null,
    dueAt,
    trackerUrl: input.tracker_url ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    remindToken: 1,
  };
  await ctx.tx.insert(actionItems).values(row);
  schedule(ctx, row);
  await recordChange(
    ctx,
    inc,
    'action_item_added',
    `Action item ${row.number} (${priority}): ${input.title}`,
    {
      action_item_id: id,
      priority,
      due_on: row.dueOn,
    },
  );
  return { id, number: row.number };
}

export async function findActionItem(db: Db, workspaceId: string, id: string) {
  if (!UUID_RE.test(id)) throw InvalidInput.field('id', 'is not an action item id');
  const [row] = await db
    .select()
    .from(actionItems)
    .where(and(eq(actionItems.workspaceId, workspaceId), eq(actionItems.id, id)));
  if (!row) throw new NotFound(`action item ${id}`);
  return row;
}

export async function updateActionItem(ctx: Ctx, id: string, patch: ActionItemPatch): Promise<void> {
  const item = await findActionItem(ctx.tx, ctx.workspaceId, id);
  const inc = await lockIncident(ctx, item.incidentId);
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  const set: Partial<typeof actionItems.$inferInsert> = {};
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.priority !== undefined) set.priority = checkPriority(plan, patch.priority);
  if (patch.owner !== undefined)
    set.ownerId = patch.owner === null ? null : await memberId(ctx, 'owner', patch.owner);
  if (patch.owner_label !== undefined) set.ownerLabel = patch.owner_label;
  if (patch.tracker_url !== undefined) set.trackerUrl = patch.tracker_url;
  if (patch.due_on !== undefined) {
    set.dueOn = patch.due_on;
    set.dueAt = patch.due_on ? overdueAt(patch.due_on, plan.calendar.timezone) : null;
  }
  if (patch.status !== undefined && patch.status !== item.status) {
    set.status = patch.status;
    set.completedAt = patch.status === 'done' || patch.status === 'wont_do' ? ctx.now : null;
  }
  if (Object.keys(set).length === 0) return;
  // A new due date, owner or status makes any reminder in flight stale, and earns a fresh one.
  const rescheduled = set.dueAt !== undefined || set.ownerId !== undefined || set.status !== undefined;
  const token = rescheduled ? item.remindToken + 1 : item.remindToken;
  await ctx.tx
    .update(actionItems)
    .set({ ...set, updatedAt: ctx.now, remindToken: token, ...(rescheduled ? { remindedAt: null } : {}) })
    .where(eq(actionItems.id, item.id));
  const status: ActionStatus = set.status ?? item.status;
  if (rescheduled && (status === 'open' || status === 'in_progress'))
    schedule(ctx, {
      id: item.id,
      dueAt: set.dueAt === undefined ? item.dueAt : set.dueAt,
      remindToken: token,
    });
  await recordChange(
    ctx,
    inc,
    'action_item_changed',
    `Action item ${item.number} changed: ${Object.keys(patch).join(', ')}`,
    {
      action_item_id: item.id,
      ...patch,
    },
  );
}

/**
 * The overdue reminder. The job is only a wake-up: the row decides. A stale token (the item was
 * rescheduled), an item already done or already reminded, or a due time still ahead all mean
 * there is nothing to send.
 */
export async function remindOverdue(
  env: Env,
  data: { workspaceId: string; id: string; token?: number },
): Promise<boolean> {
  return runVerb(env, { workspaceId: data.workspaceId, actor: SYSTEM_ACTOR }, async (ctx) => {
    const [item] = await ctx.tx
      .select()
      .from(actionItems)
      .where(and(eq(actionItems.workspaceId, data.workspaceId), eq(actionItems.id, data.id)))
      .for('update');
    if (!item || (data.token !== undefined && item.remindToken !== data.token)) return false;
    if (item.remindedAt || !item.dueAt || item.dueAt > ctx.now) return false;
    if (item.status === 'done' || item.status === 'wont_do') return false;
    if (!env.notifier) {
      // Without a notifier nothing can be sent; leave it unreminded so the auditor retries once wired.
      env.log.warn({ actionItem: item.id }, 'action item overdue but no notifier is configured');
      return false;
    }
    const [inc] = await ctx.tx.select().from(incidents).where(eq(incidents.id, item.incidentId));
    const { plan } = await loadPlanVersion(ctx.tx, data.workspaceId, inc!.planVersionId);
    const ic = commanderRole(plan);
    const to = item.ownerId ? [{ user: item.ownerId }] : ic ? [{ role: ic.key, incidentId: inc!.id }] : [];
    const ref = formatNumber(inc!.number);
    await env.notifier.notify(ctx, {
      dedupKey: `action_item_overdue:${item.id}:${item.remindToken}`,
      kind: 'action_item.overdue',
      to,
      subject: `[${ref}] Action item overdue: ${item.title}`,
      text: `Action item ${item.number} of ${ref} (${item.priority}) was due on ${item.dueOn}${item.ownerLabel ? ` (${item.ownerLabel})` : ''} and is still ${item.status.replace('_', ' ')}: ${item.title}${item.trackerUrl ? `\n${item.trackerUrl}` : ''}`,
      incidentId: inc!.id,
      drill: inc!.drill,
      url: `${env.publicUrl.replace(/\/$/, '')}/incidents/${ref}/postmortem`,
    });
    await ctx.tx.update(actionItems).set({ remindedAt: ctx.now }).where(eq(actionItems.id, item.id));
    ctx.audit('action_item.reminded', 'action_item', item.id, { incident: inc!.number, due_on: item.dueOn });
    return true;
  });
}

/** Finds overdue items whose reminder never went out (a lost job, a notifier wired late). */
export async function auditOverdue(env: Env): Promise<number> {
  const due = await env.database.db
    .select({ id: actionItems.id, workspaceId: actionItems.workspaceId })
    .from(actionItems)
    .where(
      sql`${actionItems.status} IN ('open', 'in_progress') AND ${actionItems.remindedAt} IS NULL AND ${actionItems.dueAt} <= ${env.clock.now()}`,
    )
    .limit(500);
  let sent = 0;
  for (const d of due) if (await remindOverdue(env, d)) sent++;
  return sent;
}
