/**
 * Running woken escalation steps: everything one poll fetched runs in one transaction per
 * workspace (fire.ts checks each step before paging). A batch that fails is run again step by
 * step, so one bad step fails alone and the others still page.
 */
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { Env } from '../kernel/env.ts';
import { runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { groupBy } from '../shared/group-by.ts';
import { fireSteps, type StepResult, type StepWake } from './fire.ts';
import { escalationSteps, escalations } from './tables.ts';

export type { StepResult, StepWake } from './fire.ts';

/** Steps per transaction: long enough to share its fixed costs, short enough to hold locks briefly. */
export const STEPS_PER_TX = 100;

export async function runSteps(env: Env, wakes: StepWake[]): Promise<StepResult[]> {
  if (wakes.length === 0) return [];
  const heads = await env.database.db
    .select({ id: escalationSteps.id, workspaceId: escalations.workspaceId })
    .from(escalationSteps)
    .innerJoin(escalations, eq(escalations.id, escalationSteps.escalationId))
    .where(inArray(escalationSteps.id, [...new Set(wakes.map((w) => w.stepId))]));
  const workspaceOf = new Map(heads.map((h) => [h.id, h.workspaceId]));
  const results = new Map<string, StepResult>();
  const failures: unknown[] = [];
  const known = wakes.filter((w) => workspaceOf.has(w.stepId));
  for (const [workspaceId, list] of groupBy(known, (w) => workspaceOf.get(w.stepId)!)) {
    const scope = { workspaceId, actor: SYSTEM_ACTOR };
    for (let i = 0; i < list.length; i += STEPS_PER_TX) {
      const chunk = list.slice(i, i + STEPS_PER_TX);
      try {
        const r = await runVerb(env, scope, (ctx) => fireSteps(ctx, chunk));
        for (const [id, result] of r) results.set(id, result);
      } catch (err) {
        if (chunk.length === 1) {
          failures.push(err);
          continue;
        }
        env.log.warn({ err, steps: chunk.length }, 'escalation batch failed; running its steps one by one');
        for (const w of chunk) {
          try {
            const r = await runVerb(env, scope, (ctx) => fireSteps(ctx, [w]));
            for (const [id, result] of r) results.set(id, result);
          } catch (e) {
            failures.push(e);
          }
        }
      }
    }
  }
  // The job is retried; steps that did run come back stale and do nothing.
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} escalation steps failed`);
  return wakes.map((w) => results.get(w.stepId) ?? 'stale');
}

export async function runStep(env: Env, stepId: string, token: string | null): Promise<StepResult> {
  const [result] = await runSteps(env, [{ stepId, token }]);
  return result!;
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
  const results = await runSteps(
    env,
    due.map((s) => ({ stepId: s.id, token: null })),
  );
  const ran = results.filter((r) => r !== 'stale' && r !== 'not_due').length;
  if (ran > 0) env.log.warn({ ran }, 'escalation auditor ran steps whose jobs had not');
  return ran;
}
