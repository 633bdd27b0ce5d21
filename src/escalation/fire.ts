/**
 * Firing due steps, many in one transaction. A job is only a wake-up: the step rows are locked
 * and checked (token, state, generation, due time, condition) before anyone is paged, and a page
 * row is unique by its dedup key, so a duplicate job, a retry or the auditor never pages twice.
 *
 * A batch shares what one step used to pay alone: the reads of escalations, incidents, role
 * holders and people are one query each, the file's mappings and who is on call are read once
 * for the batch's instant, and the writes (pages, step outcomes, timeline, audit) are one
 * statement each. On PGlite's single connection the number of statements is the cost.
 */
import { and, asc, inArray, isNotNull, max, sql } from 'drizzle-orm';
import { formatNumber, isOpen } from '../incidents/model.ts';
import { incidents } from '../incidents/tables.ts';
import { type Change, recordChanges } from '../incidents/timeline.ts';
import type { Ctx } from '../kernel/verb.ts';
import { fileMappings } from '../oncall/directory.ts';
import { emailsOf } from '../oncall/store.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { groupBy } from '../shared/group-by.ts';
import { insertPlannedSteps, settleMany } from './engine.ts';
import { conditionHolds, type PlannedStep, planRound } from './policy.ts';
import { escalationPages, escalationSteps, escalations } from './tables.ts';
import { batchResolver, describeTarget } from './targets.ts';

/** One wake-up: the step and the token its job carries (null: the auditor, no token check). */
export type StepWake = { stepId: string; token: string | null };
export type StepResult = 'paged' | 'skipped' | 'stale' | 'not_due' | 'nobody';

type Step = typeof escalationSteps.$inferSelect;
type Escalation = typeof escalations.$inferSelect;

const uniq = <T>(xs: T[]) => [...new Set(xs)];

/** Runs the woken steps of one workspace in the caller's transaction; a result per step id. */
export async function fireSteps(ctx: Ctx, wakes: StepWake[]): Promise<Map<string, StepResult>> {
  const results = new Map<string, StepResult>(wakes.map((w) => [w.stepId, 'stale']));
  const tokens = groupBy(
    wakes,
    (w) => w.stepId,
    (w) => w.token,
  );
  const ids = [...tokens.keys()];
  // Escalations before steps, each in id order: the order the ack, resolve and re-plan hooks
  // lock them in, so a batch and those verbs (or two batches) cannot deadlock.
  const escs = new Map(
    (
      await ctx.tx
        .select()
        .from(escalations)
        .where(
          inArray(
            escalations.id,
            ctx.tx
              .select({ id: escalationSteps.escalationId })
              .from(escalationSteps)
              .where(inArray(escalationSteps.id, ids)),
          ),
        )
        .orderBy(asc(escalations.id))
        .for('update')
    ).map((e) => [e.id, e]),
  );
  const locked = await ctx.tx
    .select()
    .from(escalationSteps)
    .where(inArray(escalationSteps.id, ids))
    .orderBy(asc(escalationSteps.id))
    .for('update');
  const woken = locked.filter(
    (s) => s.state === 'pending' && tokens.get(s.id)!.some((t) => t === null || t === s.token),
  );
  const due: Step[] = [];
  for (const s of woken) {
    const esc = escs.get(s.escalationId);
    if (esc?.state !== 'active' || esc.generation !== s.generation) continue;
    if (!s.dueAt || s.dueAt.getTime() > ctx.now.getTime()) results.set(s.id, 'not_due');
    else due.push(s);
  }
  if (due.length === 0) return results;
  // Earliest first, so the timeline and the notices follow the order the steps came due in.
  due.sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime() || a.position - b.position);
  const incs = await loadIncidents(ctx, uniq(due.map((s) => escs.get(s.escalationId)!.incidentId)));
  const runs = await resolveAll(ctx, due, escs, incs);
  await page(ctx, runs, results);
  await finish(ctx, runs);
  await continueOrSettle(ctx, runs);
  return results;
}

const incidentColumns = {
  id: incidents.id,
  number: incidents.number,
  planVersionId: incidents.planVersionId,
  title: incidents.title,
  severityKey: incidents.severityKey,
  status: incidents.status,
  acknowledgedAt: incidents.acknowledgedAt,
  drill: incidents.drill,
};
type Incident = { [K in keyof typeof incidentColumns]: (typeof incidents.$inferSelect)[K] };

async function loadIncidents(ctx: Ctx, ids: string[]): Promise<Map<string, Incident>> {
  const rows = await ctx.tx.select(incidentColumns).from(incidents).where(inArray(incidents.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

/** A due step with what it found: skipped by its condition, or the people it pages. */
type Run = {
  step: Step;
  esc: Escalation;
  inc: Incident;
  skipped?: string;
  userIds: string[];
  notes: string[];
  label: string;
  dedupKey: string;
  who: string[];
};

async function resolveAll(
  ctx: Ctx,
  due: Step[],
  escs: Map<string, Escalation>,
  incs: Map<string, Incident>,
): Promise<Run[]> {
  const mappings = await fileMappings(ctx.tx, ctx.workspaceId);
  const plans = new Map<string, Awaited<ReturnType<typeof loadPlanVersion>>['plan']>();
  for (const v of uniq([...incs.values()].map((i) => i.planVersionId)))
    plans.set(v, (await loadPlanVersion(ctx.tx, ctx.workspaceId, v)).plan);
  const resolvers = new Map<string, Awaited<ReturnType<typeof batchResolver>>>();
  const runs: Run[] = [];
  for (const step of due) {
    const esc = escs.get(step.escalationId)!;
    const inc = incs.get(esc.incidentId)!;
    const label = step.label ?? step.targets.map(describeTarget).join(', ');
    const dedupKey = `esc:${esc.id}:${step.generation}.${step.round}:${step.position}`;
    const run: Run = { step, esc, inc, userIds: [], notes: [], label, dedupKey, who: [] };
    runs.push(run);
    const state = { open: isOpen(inc.status), acknowledged: inc.acknowledgedAt !== null };
    if (!conditionHolds(step.condition, state)) {
      run.skipped = state.open ? 'acknowledged' : 'resolved';
      continue;
    }
    let resolve = resolvers.get(inc.planVersionId);
    if (!resolve) {
      const at = {
        workspaceId: ctx.workspaceId,
        now: ctx.now,
        plan: plans.get(inc.planVersionId)!,
        mappings,
      };
      resolve = await batchResolver(
        ctx.tx,
        at,
        [...incs.values()].filter((i) => i.planVersionId === inc.planVersionId).map((i) => i.id),
      );
      resolvers.set(inc.planVersionId, resolve);
    }
    const resolved = [];
    for (const t of step.targets) resolved.push(await resolve(inc.id, t));
    run.userIds = uniq(resolved.flatMap((r) => r.userIds));
    run.notes = resolved.filter((r) => r.note).map((r) => `${describeTarget(r.target)}: ${r.note}`);
  }
  const people = await emailsOf(ctx.tx, uniq(runs.flatMap((r) => r.userIds)));
  for (const r of runs) r.who = r.userIds.map((id) => people.get(id)?.email ?? id);
  return runs;
}

/** Page rows first (unique by dedup key), then the notifier for each row this batch created. */
async function page(ctx: Ctx, runs: Run[], results: Map<string, StepResult>) {
  const paging = runs.filter((r) => !r.skipped && r.userIds.length > 0);
  const created = new Set<string>();
  for (let i = 0; i < paging.length; i += 500) {
    const rows = await ctx.tx
      .insert(escalationPages)
      .values(
        paging.slice(i, i + 500).map((r) => ({
          dedupKey: r.dedupKey,
          stepId: r.step.id,
          incidentId: r.inc.id,
          recipients: r.userIds,
          pagedAt: ctx.now,
          handedToNotifier: ctx.env.notifier !== null,
        })),
      )
      .onConflictDoNothing()
      .returning({ key: escalationPages.dedupKey });
    for (const row of rows) created.add(row.key);
  }
  for (const r of runs) {
    if (r.skipped) results.set(r.step.id, 'skipped');
    else if (r.userIds.length === 0) results.set(r.step.id, 'nobody');
    else if (!created.has(r.dedupKey)) results.set(r.step.id, 'stale');
    else {
      results.set(r.step.id, 'paged');
      await handOver(ctx, r);
    }
  }
}

async function handOver(ctx: Ctx, { inc, label, dedupKey, userIds }: Run) {
  if (!ctx.env.notifier) {
    ctx.env.log.warn({ dedupKey }, 'escalation page recorded but no notifier is wired to deliver it');
    return;
  }
  const ref = formatNumber(inc.number);
  await ctx.env.notifier.notify(ctx, {
    dedupKey,
    kind: 'page',
    to: userIds.map((user) => ({ user })),
    subject: `[${inc.severityKey}] ${ref} ${inc.title}`,
    text: `${ref} (${inc.severityKey}, ${inc.status}) needs you: escalation step "${label}". ${inc.title}`,
    incidentId: inc.id,
    drill: inc.drill,
    url: `${ctx.env.publicUrl}/incidents/${ref}`,
  });
}

function outcomeOf(r: Run): string {
  if (r.skipped) return r.skipped;
  return r.userIds.length > 0
    ? `paged ${r.who.join(', ')}`
    : `nobody to page${r.notes.length ? ` (${r.notes.join('; ')})` : ''}`;
}

/** Every step's outcome in one update, then one timeline line and audit record per step run. */
async function finish(ctx: Ctx, runs: Run[]) {
  const outcomes = runs.map((r) => ({
    id: r.step.id,
    state: r.skipped ? 'skipped' : 'done',
    outcome: outcomeOf(r),
  }));
  await ctx.tx.execute(sql`
    UPDATE escalation_steps AS s
    SET state = v.state, ran_at = ${ctx.now.toISOString()}::timestamptz, outcome = v.outcome
    FROM jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) AS v (id uuid, state text, outcome text)
    WHERE s.id = v.id`);
  const ran = runs.filter((r) => !r.skipped);
  const changes: Change[] = ran.map((r) => ({
    incident: r.inc,
    kind: 'escalation.paged',
    text: `Escalation step "${r.label}": ${outcomeOf(r)}`,
    data: {
      escalation_id: r.esc.id,
      round: r.step.round,
      step: r.step.position,
      recipients: r.who,
      ...(r.notes.length ? { notes: r.notes } : {}),
    },
  }));
  await recordChanges(ctx, changes);
  for (const r of ran)
    ctx.audit('escalation.page', 'incident', r.inc.id, { dedup_key: r.dedupKey, recipients: r.userIds });
}

/**
 * The last timed step of a round starts the next round while repeats remain; an escalation with
 * nothing left open is finished, with the reason of the last of its steps this batch ran.
 */
async function continueOrSettle(ctx: Ctx, runs: Run[]) {
  const ran = runs.filter((r) => !r.skipped);
  const lastOf = new Map<string, number | null>();
  if (ran.length > 0) {
    const rows = await ctx.tx
      .select({
        escalationId: escalationSteps.escalationId,
        generation: escalationSteps.generation,
        round: escalationSteps.round,
        last: max(escalationSteps.position),
      })
      .from(escalationSteps)
      .where(
        and(
          inArray(escalationSteps.escalationId, uniq(ran.map((r) => r.esc.id))),
          isNotNull(escalationSteps.dueAt),
        ),
      )
      .groupBy(escalationSteps.escalationId, escalationSteps.generation, escalationSteps.round);
    for (const r of rows) lastOf.set(`${r.escalationId}:${r.generation}:${r.round}`, r.last);
  }
  const next: { escalationId: string; generation: number; steps: PlannedStep[] }[] = [];
  const reasons = new Map<string, string>();
  for (const { step, esc, skipped } of runs) {
    if (skipped) {
      reasons.set(esc.id, 'nothing left to run');
      continue;
    }
    const last = lastOf.get(`${esc.id}:${step.generation}:${step.round}`);
    if (last === step.position && step.round < esc.policy.repeat) {
      next.push({
        escalationId: esc.id,
        generation: step.generation,
        steps: planRound(esc.policy, esc.startedAt, step.round + 1),
      });
    }
    reasons.set(esc.id, 'every step ran');
  }
  await insertPlannedSteps(ctx, next);
  const byReason = groupBy(
    [...reasons],
    ([, reason]) => reason,
    ([id]) => id,
  );
  for (const [reason, ids] of byReason) await settleMany(ctx, ids, reason, 'exhausted');
}
