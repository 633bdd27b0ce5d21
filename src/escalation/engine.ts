/**
 * An incident's escalation over its life: started on declaration with a snapshot of its
 * policy, thinned on acknowledgement, stopped on resolution, re-planned on a severity change.
 * Every function runs inside the verb that caused it (domain hooks).
 */
import { and, eq, inArray, notExists, type SQL } from 'drizzle-orm';
import { writeParts } from '../db/write-parts.ts';
import { incidents } from '../incidents/tables.ts';
import { changeWrite, recordChange } from '../incidents/timeline.ts';
import type { Ctx } from '../kernel/verb.ts';
import { fileMappings } from '../oncall/directory.ts';
import { oncallFiles } from '../oncall/tables.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { newId } from '../shared/ids.ts';
import { choosePolicy, type PlannedStep, type PolicySnapshot, planRound } from './policy.ts';
import { escalationPages, escalationSteps, escalations } from './tables.ts';

export const STEP_JOB = 'escalation.step';

type IncidentRow = typeof incidents.$inferSelect;
type OncallPolicies = typeof oncallFiles.$inferSelect.policies;

async function loadIncident(ctx: Ctx, id: string): Promise<IncidentRow> {
  const [row] = await ctx.tx.select().from(incidents).where(eq(incidents.id, id));
  if (!row) throw new Error(`incident ${id} vanished inside its own transaction`);
  return row;
}

async function policyFor(ctx: Ctx, inc: IncidentRow): Promise<PolicySnapshot | undefined> {
  const { policies } = await fileMappings(ctx.tx, ctx.workspaceId);
  return policyAmong(ctx, inc, policies);
}

async function policyAmong(
  ctx: Ctx,
  inc: IncidentRow,
  policies: OncallPolicies,
): Promise<PolicySnapshot | undefined> {
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  return choosePolicy(plan, policies, {
    severity: inc.severityKey,
    type: inc.typeKey,
    services: inc.services,
  });
}

/** Stores steps and sends each timed one its wake-up, all in the caller's transaction. */
export async function insertSteps(ctx: Ctx, escalationId: string, generation: number, steps: PlannedStep[]) {
  await insertPlannedSteps(ctx, [{ escalationId, generation, steps }]);
}

/** The same for several escalations in one insert (a batch of steps starting next rounds). */
export async function insertPlannedSteps(
  ctx: Ctx,
  plans: { escalationId: string; generation: number; steps: PlannedStep[] }[],
) {
  for (const write of stepWrites(ctx, plans)) await ctx.tx.execute(write);
}

/**
 * The inserts of planned steps (one per few hundred), for the caller to run; each timed step's
 * wake-up is enqueued now, so it commits with them.
 */
function stepWrites(
  ctx: Ctx,
  plans: { escalationId: string; generation: number; steps: PlannedStep[] }[],
): SQL[] {
  const rows = plans.flatMap(({ escalationId, generation, steps }) =>
    steps.map((s) => ({
      id: newId(),
      escalationId,
      generation,
      round: s.round,
      position: s.position,
      label: s.label,
      condition: s.condition,
      targets: s.targets,
      dueAt: s.dueAt,
      token: newId(),
      state: s.dueAt ? ('pending' as const) : ('manual' as const),
    })),
  );
  for (const r of rows) {
    if (!r.dueAt) continue;
    ctx.enqueue({
      name: STEP_JOB,
      data: { stepId: r.id, token: r.token },
      startAfter: r.dueAt,
      singletonKey: `${r.id}:${r.token}`,
    });
  }
  const writes: SQL[] = [];
  for (let i = 0; i < rows.length; i += 500)
    writes.push(
      ctx.tx
        .insert(escalationSteps)
        .values(rows.slice(i, i + 500))
        .getSQL(),
    );
  return writes;
}

export async function startEscalation(ctx: Ctx, incidentId: string): Promise<void> {
  // The incident and the on-call file's policies in one read: a new alert's incident waits on it.
  const [found] = await ctx.tx
    .select({ inc: incidents, policies: oncallFiles.policies })
    .from(incidents)
    .leftJoin(oncallFiles, eq(oncallFiles.workspaceId, incidents.workspaceId))
    .where(eq(incidents.id, incidentId));
  if (!found) throw new Error(`incident ${incidentId} vanished inside its own transaction`);
  const inc = found.inc;
  const policy = await policyAmong(ctx, inc, found.policies ?? []);
  if (!policy) return;
  const id = newId();
  const started = changeWrite(ctx, [
    {
      incident: inc,
      kind: 'escalation.started',
      text: `Escalation started: ${describePolicy(policy)}`,
      data: { escalation_id: id, policy: policy.key ?? policy.source, steps: policy.steps.length },
    },
  ]);
  // Its steps and its timeline line ride in the escalation's own insert.
  const steps = stepWrites(ctx, [{ escalationId: id, generation: 1, steps: planRound(policy, ctx.now, 0) }]);
  await ctx.tx
    .with(...writeParts(ctx.tx, [...steps, started.insert]))
    .insert(escalations)
    .values({
      id,
      workspaceId: ctx.workspaceId,
      incidentId,
      generation: 1,
      policy,
      severityKey: inc.severityKey,
      startedAt: ctx.now,
      state: 'active',
    });
}

export function describePolicy(p: PolicySnapshot): string {
  const label = typeof p.label === 'string' ? p.label : (p.label?.en ?? p.label?.id);
  const name = label ?? p.key ?? 'the escalation matrix';
  return `${name} (${p.steps.length} step${p.steps.length === 1 ? '' : 's'}${p.repeat ? `, repeats ${p.repeat}×` : ''})`;
}

async function activeEscalation(ctx: Ctx, incidentId: string) {
  const [esc] = await ctx.tx
    .select()
    .from(escalations)
    .where(and(eq(escalations.incidentId, incidentId), eq(escalations.state, 'active')))
    .for('update');
  return esc;
}

/** Cancels open steps; `only` narrows to steps with one condition. Returns how many. */
async function cancelSteps(ctx: Ctx, escalationId: string, outcome: string, only?: 'unacknowledged') {
  const rows = await ctx.tx
    .update(escalationSteps)
    .set({ state: 'cancelled', outcome, ranAt: ctx.now })
    .where(
      and(
        eq(escalationSteps.escalationId, escalationId),
        inArray(escalationSteps.state, ['pending', 'manual']),
        only ? eq(escalationSteps.condition, only) : undefined,
      ),
    )
    .returning({ id: escalationSteps.id });
  return rows.length;
}

/** Marks the escalation finished when nothing is left to run. */
export async function settle(ctx: Ctx, escalationId: string, reason: string, state: 'stopped' | 'exhausted') {
  return (await settleMany(ctx, [escalationId], reason, state)).length > 0;
}

/** Finishes each of the escalations that has no open step left, in one statement; returns those. */
export async function settleMany(
  ctx: Ctx,
  escalationIds: string[],
  reason: string,
  state: 'stopped' | 'exhausted',
): Promise<string[]> {
  if (escalationIds.length === 0) return [];
  const open = ctx.tx
    .select({ id: escalationSteps.id })
    .from(escalationSteps)
    .where(
      and(
        eq(escalationSteps.escalationId, escalations.id),
        inArray(escalationSteps.state, ['pending', 'manual']),
      ),
    );
  const rows = await ctx.tx
    .update(escalations)
    .set({ state, stoppedAt: ctx.now, stopReason: reason })
    .where(and(inArray(escalations.id, [...new Set(escalationIds)]), notExists(open)))
    .returning({ id: escalations.id });
  return rows.map((r) => r.id);
}

export async function onAcknowledged(ctx: Ctx, incidentId: string): Promise<void> {
  const esc = await activeEscalation(ctx, incidentId);
  if (!esc) return;
  const n = await cancelSteps(ctx, esc.id, `acknowledged by ${ctx.actor.name}`, 'unacknowledged');
  await settle(ctx, esc.id, 'acknowledged', 'stopped');
  if (n > 0) {
    const inc = await loadIncident(ctx, incidentId);
    await recordChange(
      ctx,
      inc,
      'escalation.stopped',
      `Escalation: ${n} step${n === 1 ? '' : 's'} stopped on acknowledgement`,
      {
        escalation_id: esc.id,
        cancelled: n,
        reason: 'acknowledged',
      },
    );
  }
}

export async function onStatusChanged(ctx: Ctx, incidentId: string, to: string): Promise<void> {
  if (to !== 'resolved' && to !== 'closed') return;
  const esc = await activeEscalation(ctx, incidentId);
  if (!esc) return;
  const n = await cancelSteps(ctx, esc.id, to);
  await settle(ctx, esc.id, to, 'stopped');
  const inc = await loadIncident(ctx, incidentId);
  await recordChange(ctx, inc, 'escalation.stopped', `Escalation stopped: incident ${to}`, {
    escalation_id: esc.id,
    cancelled: n,
    reason: to,
  });
}

/**
 * A new severity may mean a different policy or different timings. Pending steps of the old
 * plan are void; the new plan counts from the original start, so a step already past due runs
 * now, unless the same people were already paged for those targets.
 */
export async function onSeverityChanged(ctx: Ctx, incidentId: string): Promise<void> {
  const inc = await loadIncident(ctx, incidentId);
  const [esc] = await ctx.tx
    .select()
    .from(escalations)
    .where(eq(escalations.incidentId, incidentId))
    .for('update');
  if (!esc) {
    await startEscalation(ctx, incidentId);
    return;
  }
  if (esc.state === 'stopped') return;
  const policy = await policyFor(ctx, inc);
  const generation = esc.generation + 1;
  await cancelSteps(ctx, esc.id, `re-planned for severity ${inc.severityKey}`);
  const pagedTargets = new Set(
    (
      await ctx.tx
        .select({ targets: escalationSteps.targets })
        .from(escalationSteps)
        .innerJoin(escalationPages, eq(escalationPages.stepId, escalationSteps.id))
        .where(eq(escalationSteps.escalationId, esc.id))
    ).map((r) => JSON.stringify(r.targets)),
  );
  await ctx.tx
    .update(escalations)
    .set({
      generation,
      severityKey: inc.severityKey,
      state: 'active',
      stoppedAt: null,
      stopReason: null,
      ...(policy ? { policy } : {}),
    })
    .where(eq(escalations.id, esc.id));
  const steps = policy
    ? planRound(policy, esc.startedAt, 0).filter(
        (s) => !(s.dueAt && s.dueAt <= ctx.now && pagedTargets.has(JSON.stringify(s.targets))),
      )
    : [];
  await insertSteps(ctx, esc.id, generation, steps);
  if (steps.length === 0)
    await settle(ctx, esc.id, `severity ${inc.severityKey} has no escalation steps left`, 'exhausted');
  await recordChange(
    ctx,
    inc,
    'escalation.replanned',
    policy
      ? `Escalation re-planned for ${inc.severityKey}: ${describePolicy(policy)}`
      : `Escalation: no policy for ${inc.severityKey}`,
    { escalation_id: esc.id, generation, steps: steps.length },
  );
}
