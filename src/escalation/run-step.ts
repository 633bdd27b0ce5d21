/**
 * Running one escalation step: the job is only a wake-up. The step row is locked and checked
 * (token, state, generation, due time, condition) before anyone is paged, and the page row is
 * unique by its dedup key, so a duplicate job, a retry or the auditor never pages twice.
 */
import { and, asc, eq, isNotNull, lte, max } from 'drizzle-orm';
import { formatNumber, isOpen } from '../incidents/model.ts';
import { incidents } from '../incidents/tables.ts';
import { recordChange } from '../incidents/timeline.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { fileMappings } from '../oncall/directory.ts';
import { emailsOf } from '../oncall/store.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { insertSteps, settle } from './engine.ts';
import { conditionHolds, planRound } from './policy.ts';
import { escalationPages, escalationSteps, escalations } from './tables.ts';
import { describeTarget, resolveTarget } from './targets.ts';

export type StepResult = 'paged' | 'skipped' | 'stale' | 'not_due' | 'nobody';

export async function runStep(env: Env, stepId: string, token: string | null): Promise<StepResult> {
  const [head] = await env.database.db
    .select({ workspaceId: escalations.workspaceId })
    .from(escalationSteps)
    .innerJoin(escalations, eq(escalations.id, escalationSteps.escalationId))
    .where(eq(escalationSteps.id, stepId));
  if (!head) return 'stale';
  return runVerb(env, { workspaceId: head.workspaceId, actor: SYSTEM_ACTOR }, async (ctx) => {
    const [step] = await ctx.tx
      .select()
      .from(escalationSteps)
      .where(eq(escalationSteps.id, stepId))
      .for('update');
    if (step?.state !== 'pending' || (token !== null && step.token !== token)) return 'stale';
    const [esc] = await ctx.tx.select().from(escalations).where(eq(escalations.id, step.escalationId));
    if (esc?.state !== 'active' || esc.generation !== step.generation) return 'stale';
    if (!step.dueAt || step.dueAt.getTime() > ctx.now.getTime()) return 'not_due';
    const [inc] = await ctx.tx.select().from(incidents).where(eq(incidents.id, esc.incidentId));
    const state = { open: isOpen(inc!.status), acknowledged: inc!.acknowledgedAt !== null };
    const finish = (s: 'done' | 'skipped', outcome: string) =>
      ctx.tx
        .update(escalationSteps)
        .set({ state: s, ranAt: ctx.now, outcome })
        .where(eq(escalationSteps.id, step.id));

    if (!conditionHolds(step.condition, state)) {
      await finish('skipped', state.open ? 'acknowledged' : 'resolved');
      await settle(ctx, esc.id, 'nothing left to run', 'exhausted');
      return 'skipped';
    }
    const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc!.planVersionId);
    const mappings = await fileMappings(ctx.tx, ctx.workspaceId);
    const at = { workspaceId: ctx.workspaceId, incidentId: inc!.id, now: ctx.now, plan, mappings };
    const resolved = [];
    for (const t of step.targets) resolved.push(await resolveTarget(ctx.tx, at, t));
    const userIds = [...new Set(resolved.flatMap((r) => r.userIds))];
    const people = await emailsOf(ctx.tx, userIds);
    const who = userIds.map((id) => people.get(id)?.email ?? id);
    const notes = resolved.filter((r) => r.note).map((r) => `${describeTarget(r.target)}: ${r.note}`);
    const label = step.label ?? step.targets.map(describeTarget).join(', ');
    const dedupKey = `esc:${esc.id}:${step.generation}.${step.round}:${step.position}`;
    let result: StepResult = 'nobody';
    if (userIds.length > 0) {
      const inserted = await ctx.tx
        .insert(escalationPages)
        .values({
          dedupKey,
          stepId: step.id,
          incidentId: inc!.id,
          recipients: userIds,
          pagedAt: ctx.now,
          handedToNotifier: env.notifier !== null,
        })
        .onConflictDoNothing()
        .returning({ key: escalationPages.dedupKey });
      if (inserted.length > 0) {
        const ref = formatNumber(inc!.number);
        if (env.notifier) {
          await env.notifier.notify(ctx, {
            dedupKey,
            kind: 'page',
            to: userIds.map((user) => ({ user })),
            subject: `[${inc!.severityKey}] ${ref} ${inc!.title}`,
            text: `${ref} (${inc!.severityKey}, ${inc!.status}) needs you: escalation step "${label}". ${inc!.title}`,
            incidentId: inc!.id,
            drill: inc!.drill,
            url: `${env.publicUrl}/incidents/${ref}`,
          });
        } else {
          env.log.warn({ dedupKey }, 'escalation page recorded but no notifier is wired to deliver it');
        }
        result = 'paged';
      } else {
        result = 'stale';
      }
    }
    const outcome =
      userIds.length > 0
        ? `paged ${who.join(', ')}`
        : `nobody to page${notes.length ? ` (${notes.join('; ')})` : ''}`;
    await finish('done', outcome);
    await recordChange(ctx, inc!, 'escalation.paged', `Escalation step "${label}": ${outcome}`, {
      escalation_id: esc.id,
      round: step.round,
      step: step.position,
      recipients: who,
      ...(notes.length ? { notes } : {}),
    });
    ctx.audit('escalation.page', 'incident', inc!.id, { dedup_key: dedupKey, recipients: userIds });

    // The last timed step of a round starts the next round while repeats remain.
    const [{ last } = { last: null }] = await ctx.tx
      .select({ last: max(escalationSteps.position) })
      .from(escalationSteps)
      .where(
        and(
          eq(escalationSteps.escalationId, esc.id),
          eq(escalationSteps.generation, step.generation),
          eq(escalationSteps.round, step.round),
          isNotNull(escalationSteps.dueAt),
        ),
      );
    if (last === step.position && step.round < esc.policy.repeat) {
      await insertSteps(ctx, esc.id, step.generation, planRound(esc.policy, esc.startedAt, step.round + 1));
    } else {
      await settle(ctx, esc.id, 'every step ran', 'exhausted');
    }
    return result;
  });
}

/** Steps that came due and are still pending: their job went missing, or is running late. */
export async function dueSteps(env: Env, before: Date, limit = 500): Promise<{ id: string }[]> {
  return env.database.db
    .select({ id: escalationSteps.id })
    .from(escalationSteps)
    .where(and(eq(escalationSteps.state, 'pending'), lte(escalationSteps.dueAt, before)))
    .orderBy(asc(escalationSteps.dueAt))
    .limit(limit);
}

/** The auditor: runs every step that was due a grace period ago and has not run. */
export async function auditSteps(env: Env, graceMs = 30_000): Promise<number> {
  const due = await dueSteps(env, new Date(env.clock.now().getTime() - graceMs));
  let ran = 0;
  for (const s of due) {
    const r = await runStep(env, s.id, null);
    if (r !== 'stale' && r !== 'not_due') ran++;
  }
  if (ran > 0) env.log.warn({ ran }, 'escalation auditor ran steps whose jobs had not');
  return ran;
}
