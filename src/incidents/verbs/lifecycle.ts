import { and, eq, isNull } from 'drizzle-orm';
import type { Ctx } from '../../kernel/verb.ts';
import { nextPhase, phase as planPhase } from '../../plans/index.ts';
import { loadPlanVersion } from '../../plans/store.ts';
import { InvalidInput, NotAllowed } from '../../shared/errors.ts';
import { assertTransition, formatNumber, isOpen, isReopen, type Status } from '../model.ts';
import { typeTasks } from '../plan-tasks.ts';
import { lockIncident } from '../queries.ts';
import type { EditInput } from '../schemas.ts';
import { incidentPhases, type incidents, incidentTasks } from '../tables.ts';
import { recordChange, touch } from '../timeline.ts';
import { checkServices, checkSeverity, checkType, insertTasks } from './declare.ts';

/** Acknowledging twice is not an error: the first acknowledgement is the one that counts. */
export async function acknowledge(ctx: Ctx, ref: string): Promise<{ acknowledged: boolean }> {
  const inc = await lockIncident(ctx, ref);
  if (inc.acknowledgedAt) return { acknowledged: false };
  if (!isOpen(inc.status))
    throw new NotAllowed(`${formatNumber(inc.number)} is ${inc.status}; there is nothing to acknowledge`);
  await touch(ctx, inc.id, { acknowledgedAt: ctx.now, acknowledgedBy: ctx.actor });
  await recordChange(ctx, inc, 'acknowledged', `Acknowledged by ${ctx.actor.name}`);
  await ctx.emit({ type: 'incident.acknowledged', incidentId: inc.id });
  return { acknowledged: true };
}

export async function changeStatus(ctx: Ctx, ref: string, to: Status, reason?: string): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  assertTransition(inc.status, to);
  const patch: Partial<typeof incidents.$inferInsert> = { status: to };
  if (to === 'monitoring' && !inc.mitigatedAt) patch.mitigatedAt = ctx.now;
  if (to === 'resolved') {
    patch.resolvedAt = ctx.now;
    patch.mitigatedAt = inc.mitigatedAt ?? ctx.now;
  }
  if (to === 'closed') {
    patch.closedAt = ctx.now;
    // Closing ends the response: any phase still open is complete now.
    await ctx.tx
      .update(incidentPhases)
      .set({ completedAt: ctx.now })
      .where(and(eq(incidentPhases.incidentId, inc.id), isNull(incidentPhases.completedAt)));
  }
  const reopen = isReopen(inc.status, to);
  if (reopen) {
    patch.resolvedAt = null;
    patch.closedAt = null;
  }
  await touch(ctx, inc.id, patch);
  const verb = reopen ? 'Reopened' : `Status ${inc.status} → ${to}`;
  await recordChange(ctx, inc, reopen ? 'reopened' : 'status_changed', reason ? `${verb}: ${reason}` : verb, {
    from: inc.status,
    to,
    reason: reason ?? null,
  });
  await ctx.emit({ type: 'incident.status_changed', incidentId: inc.id, from: inc.status, to });
}

export async function changeSeverity(ctx: Ctx, ref: string, to: string, reason: string): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  const rank = checkSeverity(plan, to);
  if (inc.severityKey === to)
    throw new NotAllowed(`severity is already ${to}`, [{ field: 'severity', message: 'unchanged' }]);
  await touch(ctx, inc.id, { severityKey: to, severityRank: rank });
  await recordChange(ctx, inc, 'severity_changed', `Severity ${inc.severityKey} → ${to}: ${reason}`, {
    from: inc.severityKey,
    to,
    reason,
  });
  await ctx.emit({ type: 'incident.severity_changed', incidentId: inc.id, from: inc.severityKey, to });
}

/** A new type brings its own containment checklist; tasks already there are kept. */
export async function changeType(ctx: Ctx, ref: string, to: string, reason: string): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  checkType(plan, to);
  if (inc.typeKey === to)
    throw new NotAllowed(`type is already ${to}`, [{ field: 'type', message: 'unchanged' }]);
  const existing = await ctx.tx
    .select({
      sourceKey: incidentTasks.sourceKey,
      title: incidentTasks.title,
      position: incidentTasks.position,
    })
    .from(incidentTasks)
    .where(eq(incidentTasks.incidentId, inc.id));
  const have = new Set(existing.map((t) => `${t.sourceKey}\u0000${t.title}`));
  const fresh = typeTasks(plan, to, inc.detectedAt).filter(
    (s) => !have.has(`${s.sourceKey}\u0000${s.title}`),
  );
  const next = existing.reduce((m, t) => Math.max(m, t.position + 1), 0);
  await insertTasks(ctx, inc.id, fresh, next);
  await touch(ctx, inc.id, { typeKey: to });
  await recordChange(ctx, inc, 'type_changed', `Type ${inc.typeKey} → ${to}: ${reason}`, {
    from: inc.typeKey,
    to,
    reason,
    tasks_added: fresh.length,
  });
  await ctx.emit({ type: 'incident.type_changed', incidentId: inc.id, from: inc.typeKey, to });
}

/** Phases advance in the plan's order, one at a time; entering one completes the current. */
export async function advancePhase(ctx: Ctx, ref: string, to?: string): Promise<string> {
  const inc = await lockIncident(ctx, ref);
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  if (plan.phases.length === 0) throw new NotAllowed('the plan defines no phases');
  const next = inc.phaseKey ? nextPhase(plan, inc.phaseKey) : plan.phases[0];
  if (!next)
    throw new NotAllowed(`${inc.phaseKey} is the plan's last phase`, [
      { field: 'phase', message: 'no next phase' },
    ]);
  if (to !== undefined && to !== next.key) {
    if (!planPhase(plan, to)) throw InvalidInput.field('phase', `unknown phase "${to}"`);
    throw new NotAllowed(`phases advance in order: after ${inc.phaseKey} comes ${next.key}`, [
      { field: 'phase', message: `expected ${next.key}` },
    ]);
  }
  if (inc.phaseKey) {
    await ctx.tx
      .update(incidentPhases)
      .set({ completedAt: ctx.now })
      .where(and(eq(incidentPhases.incidentId, inc.id), eq(incidentPhases.phaseKey, inc.phaseKey)));
  }
  await ctx.tx.insert(incidentPhases).values({ incidentId: inc.id, phaseKey: next.key, enteredAt: ctx.now });
  await touch(ctx, inc.id, { phaseKey: next.key });
  await recordChange(ctx, inc, 'phase_entered', `Phase ${inc.phaseKey ?? '—'} → ${next.key}`, {
    from: inc.phaseKey,
    to: next.key,
  });
  await ctx.emit({ type: 'incident.phase_entered', incidentId: inc.id, phase: next.key });
  return next.key;
}

export async function editIncident(ctx: Ctx, ref: string, input: EditInput): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  if (input.services) {
    const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
    checkServices(plan, input.services);
  }
  const patch: Partial<typeof incidents.$inferInsert> = {};
  const changed: Record<string, unknown> = {};
  const set = <K extends keyof typeof patch>(
    k: K,
    field: string,
    v: (typeof patch)[K] | undefined,
    old: unknown,
  ) => {
    if (v === undefined || JSON.stringify(v) === JSON.stringify(old)) return;
    patch[k] = v;
    changed[field] = v;
  };
  set('title', 'title', input.title, inc.title);
  set('description', 'description', input.description, inc.description);
  set('impact', 'impact', input.impact, inc.impact);
  set('services', 'services', input.services && [...new Set(input.services)], inc.services);
  set('tenants', 'tenants', input.tenants && [...new Set(input.tenants)], inc.tenants);
  set(
    'correlationIds',
    'correlation_ids',
    input.correlation_ids && [...new Set(input.correlation_ids)],
    inc.correlationIds,
  );
  if (Object.keys(changed).length === 0) return;
  await touch(ctx, inc.id, patch);
  await recordChange(ctx, inc, 'edited', `Edited ${Object.keys(changed).join(', ')}`, changed);
}
