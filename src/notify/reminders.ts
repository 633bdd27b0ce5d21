import { and, eq, inArray, lt } from 'drizzle-orm';
import type { IncidentClock } from '../incidents/clocks.ts';
import { formatNumber } from '../incidents/model.ts';
import { type IncidentRow, incidentClocks, roleHolders } from '../incidents/queries.ts';
import type { Env } from '../kernel/env.ts';
import type { Recipient } from '../kernel/ports.ts';
import { type Ctx, runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { type Plan, pick } from '../plans/index.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { formatApprox } from '../shared/duration.ts';
import { newId } from '../shared/ids.ts';
import { notify } from './notifier.ts';
import type { NotifySettings } from './settings.ts';
import { notifyReminders } from './tables.ts';

export const REMIND_JOB = 'notify.remind';

const REMINDED_KINDS = new Set(['response', 'update', 'obligation', 'postmortem']);

export type PlannedReminder = { clockKey: string; stage: 'soon' | 'due'; deadline: Date; dueAt: Date };

/**
 * Whether anyone is to be reminded of a clock: a kind people are reminded of, running, not met.
 * The response target asks for an acknowledgement, which a resolved incident no longer needs:
 * nobody is woken to acknowledge what is already over.
 */
export function remindable(c: IncidentClock, resolved: boolean): boolean {
  if (!REMINDED_KINDS.has(c.kind) || !c.deadline || !c.startsAt || c.metAt) return false;
  if (c.kind === 'response' && resolved) return false;
  return c.state === 'pending' || c.state === 'breached';
}

/**
 * The reminders a set of clocks calls for: "soon" a fifth of the way before the deadline
 * (at least a minute, at most 12 hours; only for spans of 5 minutes or more) and "due" at the
 * deadline. Clocks that are met, waived or not started need none. Pure, for property tests.
 */
export function remindersFor(clocks: IncidentClock[], now: Date, resolved = false): PlannedReminder[] {
  const out: PlannedReminder[] = [];
  for (const c of clocks) {
    if (!remindable(c, resolved) || !c.deadline || !c.startsAt) continue;
    const deadline = c.deadline;
    const span = deadline.getTime() - c.startsAt.getTime();
    if (span >= 5 * 60_000) {
      const lead = Math.min(Math.max(span / 5, 60_000), 12 * 3600_000);
      const soon = new Date(deadline.getTime() - lead);
      if (soon.getTime() > now.getTime()) out.push({ clockKey: c.key, stage: 'soon', deadline, dueAt: soon });
    }
    out.push({
      clockKey: c.key,
      stage: 'due',
      deadline,
      dueAt: deadline.getTime() > now.getTime() ? deadline : now,
    });
  }
  return out;
}

const same = (a: { clockKey: string; stage: string; deadline: Date }, b: typeof a) =>
  a.clockKey === b.clockKey && a.stage === b.stage && a.deadline.getTime() === b.deadline.getTime();

/**
 * Re-plans an incident's reminders from its clocks, inside the transaction that changed its
 * facts: reminders no longer called for are cancelled, new ones are stored with a wake-up job.
 * An incident declared in this transaction (`declared`) has none yet to look for.
 */
export async function planReminders(ctx: Ctx, incidentId: string, declared = false): Promise<void> {
  const found = await incidentClocks(ctx.tx, incidentId, ctx.now);
  if (!found) return;
  const { row, clocks } = found;
  const wanted = remindersFor(clocks, ctx.now, row.resolvedAt !== null);
  const rows = (list: PlannedReminder[]) =>
    list.map((w) => ({
      id: newId(),
      workspaceId: row.workspaceId,
      incidentId,
      state: 'scheduled' as const,
      createdAt: ctx.now,
      ...w,
    }));
  if (declared) {
    // Nothing to cancel or collide with: the rows ride in the verb's last statement, and a
    // re-plan later in this transaction settles them before it reads.
    const fresh = rows(wanted);
    if (fresh.length > 0) ctx.later(ctx.tx.insert(notifyReminders).values(fresh).getSQL());
    for (const r of fresh) ctx.enqueue({ name: REMIND_JOB, data: { id: r.id }, startAfter: r.dueAt });
    return;
  }
  await ctx.settle();
  const existing = await ctx.tx
    .select()
    .from(notifyReminders)
    .where(and(eq(notifyReminders.incidentId, incidentId), eq(notifyReminders.state, 'scheduled')));
  const stale = existing.filter((e) => !wanted.some((w) => same(w, e))).map((e) => e.id);
  if (stale.length > 0) {
    await ctx.tx
      .update(notifyReminders)
      .set({ state: 'cancelled' })
      .where(inArray(notifyReminders.id, stale));
  }
  if (wanted.length === 0) return;
  // One statement for all of them: an incident opens with several clocks at once.
  const created = await ctx.tx
    .insert(notifyReminders)
    .values(rows(wanted))
    .onConflictDoNothing()
    .returning({ id: notifyReminders.id, dueAt: notifyReminders.dueAt });
  for (const c of created) ctx.enqueue({ name: REMIND_JOB, data: { id: c.id }, startAfter: c.dueAt });
}

/** Who answers for a clock: the audience's owner or a comms role for updates, else the commander. */
export function responsibleRoles(plan: Plan, clock: IncidentClock): string[] {
  const commander = plan.roles.find((r) => r.commander)?.key;
  const first: string[] = [];
  if (clock.kind === 'update' && clock.ref) {
    const owner = plan.communications.audiences.find((a) => a.key === clock.ref)?.owner;
    if (owner) first.push(owner);
    else first.push(...plan.roles.filter((r) => /comm/i.test(r.key)).map((r) => r.key));
  }
  if (clock.kind === 'obligation' && clock.ref) {
    const owner = plan.obligations.find((o) => o.key === clock.ref)?.owner;
    if (owner) first.push(owner);
  }
  return [...new Set([...first, ...(commander ? [commander] : [])])];
}

function wording(inc: IncidentRow, plan: Plan, c: IncidentClock, stage: 'soon' | 'due', now: Date) {
  const label = pick(c.label, plan.language);
  const ref = formatNumber(inc.number);
  const at = c.deadline!.toISOString().replace('.000Z', 'Z');
  const left = c.deadline!.getTime() - now.getTime();
  const what =
    c.kind === 'update'
      ? `An update to ${label} is ${stage === 'soon' ? `due in ${formatApprox(left)}` : 'due now'}`
      : c.kind === 'response'
        ? `The response target is ${stage === 'soon' ? `missed in ${formatApprox(left)} unless acknowledged` : 'missed'}`
        : `${label} is ${stage === 'soon' ? `due in ${formatApprox(left)}` : 'due now'}`;
  return {
    subject: `[${ref}] ${what}`,
    text: `${what} (deadline ${at}) for ${ref} ${inc.title} [${inc.severityKey}].`,
  };
}

/** A reminder's wake-up: sends it if its clock is still open with the same deadline, once. */
export async function sendReminder(env: Env, s: NotifySettings, id: string): Promise<void> {
  const [peek] = await env.database.db
    .select({ workspaceId: notifyReminders.workspaceId })
    .from(notifyReminders)
    .where(eq(notifyReminders.id, id));
  if (!peek) return;
  await runVerb(env, { workspaceId: peek.workspaceId, actor: SYSTEM_ACTOR }, async (ctx) => {
    const [r] = await ctx.tx.select().from(notifyReminders).where(eq(notifyReminders.id, id)).for('update');
    if (r?.state !== 'scheduled' || r.dueAt.getTime() > ctx.now.getTime()) return;
    const found = await incidentClocks(ctx.tx, r.incidentId, ctx.now);
    const inc = found?.row;
    const clock = found?.clocks.find((c) => c.key === r.clockKey);
    const open = clock && remindable(clock, inc!.resolvedAt !== null);
    if (!open || clock.deadline?.getTime() !== r.deadline.getTime()) {
      await ctx.tx.update(notifyReminders).set({ state: 'cancelled' }).where(eq(notifyReminders.id, id));
      return;
    }
    const { plan } = await loadPlanVersion(ctx.tx, inc!.workspaceId, inc!.planVersionId);
    const holders = await roleHolders(ctx.tx, inc!.id);
    const roles = responsibleRoles(plan, clock);
    // The first responsible role somebody holds; if nobody holds any, the notice records why.
    const role = roles.find((k) => holders.some((h) => h.role === k)) ?? roles[0];
    const to: Recipient[] = role ? [{ role, incidentId: inc!.id }] : [];
    const w = wording(inc!, plan, clock, r.stage, ctx.now);
    await notify(ctx, s, {
      dedupKey: `reminder:${r.id}`,
      kind: 'reminder',
      to,
      subject: w.subject,
      text: w.text,
      incidentId: inc!.id,
      drill: inc!.drill,
      url: `${env.publicUrl}/incidents/${formatNumber(inc!.number)}`,
    });
    await ctx.tx
      .update(notifyReminders)
      .set({ state: 'sent', sentAt: ctx.now })
      .where(eq(notifyReminders.id, id));
    ctx.audit('notify.reminder_sent', 'incident', inc!.id, {
      clock: r.clockKey,
      stage: r.stage,
      role: role ?? null,
    });
  });
}

/** Reminders whose wake-up went missing (a crash before the job was taken) get a new one. */
export async function auditReminders(env: Env): Promise<number> {
  const now = env.clock.now();
  const rows = await env.database.db
    .select({ id: notifyReminders.id, dueAt: notifyReminders.dueAt })
    .from(notifyReminders)
    .where(
      and(
        eq(notifyReminders.state, 'scheduled'),
        lt(notifyReminders.dueAt, new Date(now.getTime() - 30_000)),
      ),
    )
    .limit(1000);
  for (const r of rows) {
    await env.jobs?.send(env.database.db as never, [
      { name: REMIND_JOB, data: { id: r.id }, singletonKey: `r:${r.id}` },
    ]);
  }
  return rows.length;
}
