import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { memberships, workspaces } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import { refCondition } from '../incidents/queries.ts';
import { incidents } from '../incidents/tables.ts';
import type { Env } from '../kernel/env.ts';
import { type Ctx, runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { type Drill, type Plan, pick } from '../plans/index.ts';
import { loadActivePlan, requireActivePlan } from '../plans/store.ts';
import { addDuration } from '../shared/calendar.ts';
import { InvalidInput } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { fromWall } from '../shared/zoned.ts';
import { drillRecords, drillReminders } from './tables.ts';

export const HeldInput = z.strictObject({
  held_at: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional()
    .describe('Default now'),
  incident: z.string().max(64).optional().describe('The drill incident, when it was run as one'),
  note: z.string().max(2000).optional(),
});
export type HeldInput = z.output<typeof HeldInput>;

export type DrillStatus = {
  key: string;
  label: string;
  kind: string;
  every: string;
  last_held: string | null;
  next_due: string | null;
  overdue: boolean;
};

function planDate(d: string, plan: Plan): Date {
  const [year, month, day] = d.split('-').map(Number) as [number, number, number];
  return fromWall({ year, month, day, hour: 0, minute: 0, second: 0 }, plan.calendar.timezone);
}

/**
 * Seed 001's "Last Test / Next Test" for every drill in the plan: the last one recorded (or the
 * plan's `last_held`), and the next one due a cadence later. A drill never held is due now.
 */
export async function drillStatuses(
  db: Db,
  workspaceId: string,
  plan: Plan,
  now: Date,
): Promise<DrillStatus[]> {
  const out: DrillStatus[] = [];
  for (const d of plan.drills) {
    const [rec] = await db
      .select({ heldAt: drillRecords.heldAt })
      .from(drillRecords)
      .where(and(eq(drillRecords.workspaceId, workspaceId), eq(drillRecords.drillKey, d.key)))
      .orderBy(desc(drillRecords.heldAt))
      .limit(1);
    const fromPlan = d.last_held ? planDate(d.last_held, plan) : null;
    const last = rec && (!fromPlan || rec.heldAt > fromPlan) ? rec.heldAt : fromPlan;
    const next = last ? addDuration(last, d.every, plan.calendar) : null;
    out.push({
      key: d.key,
      label: pick(d.label, plan.language),
      kind: d.kind,
      every: d.every.text,
      last_held: last?.toISOString() ?? null,
      next_due: next?.toISOString() ?? null,
      overdue: !next || next <= now,
    });
  }
  return out;
}

function findDrill(plan: Plan, key: string): Drill {
  const d = plan.drills.find((x) => x.key === key);
  if (!d)
    throw InvalidInput.field(
      'drill',
      `"${key}" is not a drill in the plan; it has ${plan.drills.map((x) => x.key).join(', ') || 'none'}`,
    );
  return d;
}

export async function recordDrill(ctx: Ctx, key: string, input: HeldInput): Promise<void> {
  const { plan } = await requireActivePlan(ctx.tx, ctx.workspaceId);
  findDrill(plan, key);
  const heldAt = input.held_at ?? ctx.now;
  if (heldAt > ctx.now) throw InvalidInput.field('held_at', 'is in the future');
  let incidentId: string | null = null;
  if (input.incident) {
    const [inc] = await ctx.tx.select().from(incidents).where(refCondition(ctx.workspaceId, input.incident));
    if (!inc) throw InvalidInput.field('incident', `incident ${input.incident} not found`);
    if (!inc.drill) throw InvalidInput.field('incident', `${input.incident} is a real incident, not a drill`);
    incidentId = inc.id;
  }
  const id = newId();
  await ctx.tx.insert(drillRecords).values({
    id,
    workspaceId: ctx.workspaceId,
    drillKey: key,
    heldAt,
    incidentId,
    note: input.note ?? '',
    recordedBy: ctx.actor,
    createdAt: ctx.now,
  });
  ctx.audit('drill.held', 'drill', id, {
    drill: key,
    held_at: heldAt.toISOString(),
    incident_id: incidentId,
  });
}

/** The cadence's reminders: each drill that came due is announced to the workspace's admins once. */
export async function remindDueDrills(env: Env): Promise<number> {
  const all = await env.database.db.select({ id: workspaces.id }).from(workspaces);
  let sent = 0;
  for (const ws of all) {
    const active = await loadActivePlan(env.database.db, ws.id);
    if (!active || active.plan.drills.length === 0) continue;
    const now = env.clock.now();
    for (const d of await drillStatuses(env.database.db, ws.id, active.plan, now)) {
      if (!d.overdue) continue;
      if (!env.notifier) {
        env.log.warn({ drill: d.key }, 'a drill is due but no notifier is configured');
        continue;
      }
      const notifier = env.notifier;
      const due = d.next_due ? new Date(d.next_due) : new Date(0);
      sent += await runVerb(env, { workspaceId: ws.id, actor: SYSTEM_ACTOR }, async (ctx) => {
        const fresh = await ctx.tx
          .insert(drillReminders)
          .values({ workspaceId: ws.id, drillKey: d.key, dueAt: due, sentAt: ctx.now })
          .onConflictDoNothing()
          .returning({ k: drillReminders.drillKey });
        if (fresh.length === 0) return 0;
        const admins = await ctx.tx
          .select({ id: memberships.userId })
          .from(memberships)
          .where(and(eq(memberships.workspaceId, ws.id), sql`${memberships.role} = 'admin'`));
        await notifier.notify(ctx, {
          dedupKey: `drill_due:${ws.id}:${d.key}:${due.toISOString()}`,
          kind: 'drill.due',
          to: admins.map((a) => ({ user: a.id })),
          subject: `Drill due: ${d.label}`,
          text: `${d.label} (${d.kind.replace('_', ' ')}, every ${d.every}) is due. Last held: ${d.last_held ?? 'never'}.`,
          url: `${env.publicUrl.replace(/\/$/, '')}/drills`,
        });
        ctx.audit('drill.reminded', 'drill', null, { drill: d.key, due_at: due.toISOString() });
        return 1;
      });
    }
  }
  return sent;
}
