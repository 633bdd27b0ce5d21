import { eq, type SQL, sql } from 'drizzle-orm';
import { workspaces } from '../../access/tables.ts';
import { writeParts } from '../../db/write-parts.ts';
import type { Ctx } from '../../kernel/verb.ts';
import { incidentType, type Plan, severity } from '../../plans/index.ts';
import { type LoadedPlan, requireActivePlan } from '../../plans/store.ts';
import { unknownMessage } from '../../plans/suggest.ts';
import { InvalidInput } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { formatNumber } from '../model.ts';
import { phaseTasks, type TaskSeed, typeTasks } from '../plan-tasks.ts';
import type { DeclareInput } from '../schemas.ts';
import { incidentPhases, incidents, incidentTasks } from '../tables.ts';
import { changeWrite } from '../timeline.ts';

// Clocks on machines disagree a little; a detected-at slightly ahead of ours is not an error.
const FUTURE_SKEW_MS = 5 * 60_000;

export function checkSeverity(plan: Plan, key: string, field = 'severity'): number {
  const i = plan.severities.findIndex((s) => s.key === key);
  if (i < 0) {
    throw InvalidInput.field(
      field,
      unknownMessage(
        'severity',
        key,
        plan.severities.map((s) => s.key),
      ),
    );
  }
  return i;
}

export function checkType(plan: Plan, key: string, field = 'type'): void {
  if (!incidentType(plan, key)) {
    throw InvalidInput.field(
      field,
      unknownMessage(
        'incident type',
        key,
        plan.incident_types.map((t) => t.key),
      ),
    );
  }
}

export function checkServices(plan: Plan, services: string[]): void {
  // A plan without a service catalogue accepts any names; one with a catalogue is authoritative.
  if (plan.services.length === 0) return;
  const known = plan.services.map((s) => s.key);
  services.forEach((s, i) => {
    if (!known.includes(s)) {
      throw InvalidInput.field(`services[${i}]`, unknownMessage('service', s, known));
    }
  });
}

export async function insertTasks(
  ctx: Ctx,
  incidentId: string,
  seeds: TaskSeed[],
  startAt: number,
): Promise<number> {
  const write = taskWrite(ctx, incidentId, seeds, startAt);
  if (write) await ctx.tx.execute(write);
  return startAt + seeds.length;
}

/** The insert of `seeds` as tasks numbered from `startAt`, or nothing when there are none. */
function taskWrite(ctx: Ctx, incidentId: string, seeds: TaskSeed[], startAt: number): SQL | undefined {
  if (seeds.length === 0) return undefined;
  return ctx.tx
    .insert(incidentTasks)
    .values(
      seeds.map((s, i) => ({
        id: newId(),
        incidentId,
        source: s.source,
        sourceKey: s.sourceKey,
        position: startAt + i,
        title: s.title,
        titleI18n: s.titleI18n,
        roleKey: s.roleKey,
        dueAt: s.dueAt,
        createdAt: ctx.now,
      })),
    )
    .getSQL();
}

export type Declared = { id: string; number: number; ref: string; row: typeof incidents.$inferSelect };

/**
 * Declares an incident under the workspace's active plan: numbers it, enters the first phase,
 * turns the type's containment and the phases' checklists into tasks, and starts its clocks.
 * A caller that read the active plan earlier in this transaction passes it (`active`) rather
 * than have it read again. Returns the incident's row as the declaration left it.
 */
export async function declareIncident(ctx: Ctx, input: DeclareInput, active?: LoadedPlan): Promise<Declared> {
  const { versionId, plan } = active ?? (await requireActivePlan(ctx.tx, ctx.workspaceId));
  checkType(plan, input.type);
  const type = incidentType(plan, input.type)!;
  const sevKey = input.severity ?? type.default_severity;
  if (!sevKey) {
    throw InvalidInput.field(
      'severity',
      `type "${input.type}" has no default severity in the plan; choose one`,
    );
  }
  const rank = checkSeverity(plan, sevKey);
  const services = [...new Set(input.services ?? [])];
  checkServices(plan, services);
  const detectedAt = input.detected_at ?? ctx.now;
  if (detectedAt.getTime() > ctx.now.getTime() + FUTURE_SKEW_MS) {
    throw InvalidInput.field('detected_at', 'is in the future');
  }

  const [ws] = await ctx.tx
    .update(workspaces)
    .set({ incidentSeq: sql`${workspaces.incidentSeq} + 1` })
    .where(eq(workspaces.id, ctx.workspaceId))
    .returning({ seq: workspaces.incidentSeq });
  const number = ws!.seq;
  const id = newId();
  const firstPhase = plan.phases[0]?.key ?? null;
  const ref = { id, number };
  const sev = severity(plan, sevKey)!;
  // The row's companions (its first phase, its tasks, its timeline's first line) are written in
  // the incident's own statement: a new alert's incident is this many round trips sooner.
  const declared = changeWrite(ctx, [
    {
      incident: ref,
      kind: 'declared',
      text: `${formatNumber(number)} declared: ${input.title} (${sevKey}, ${input.type})${input.drill ? ' — drill' : ''}`,
      data: {
        title: input.title,
        type: input.type,
        severity: sevKey,
        level: sev.level,
        drill: input.drill ?? false,
        plan_version_id: versionId,
        detected_at: detectedAt.toISOString(),
        services,
      },
    },
  ]);
  const companions = [
    firstPhase
      ? ctx.tx
          .insert(incidentPhases)
          .values({ incidentId: id, phaseKey: firstPhase, enteredAt: ctx.now })
          .getSQL()
      : undefined,
    taskWrite(ctx, id, [...typeTasks(plan, input.type, detectedAt), ...phaseTasks(plan, detectedAt)], 0),
    declared.insert,
  ];
  const [row] = await ctx.tx
    .with(...writeParts(ctx.tx, companions))
    .insert(incidents)
    .values({
      id,
      workspaceId: ctx.workspaceId,
      number,
      planVersionId: versionId,
      title: input.title,
      description: input.description ?? '',
      impact: input.impact ?? '',
      typeKey: input.type,
      severityKey: sevKey,
      severityRank: rank,
      status: 'investigating',
      phaseKey: firstPhase,
      drill: input.drill ?? false,
      services,
      tenants: [...new Set(input.tenants ?? [])],
      correlationIds: [...new Set(input.correlation_ids ?? [])],
      detectedAt,
      declaredAt: ctx.now,
      createdBy: ctx.actor,
      updatedAt: ctx.now,
    })
    .returning();
  await ctx.emit({ type: 'incident.declared', incidentId: id });
  return { id, number, ref: formatNumber(number), row: row! };
}
