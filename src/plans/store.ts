import { and, desc, eq, type SQL } from 'drizzle-orm';
import { workspaces } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { newId, sha256Hex } from '../shared/ids.ts';
import { pick } from '../shared/text.ts';
import { type Plan, type PlanProblem, parsePlan } from './index.ts';
import { planVersions } from './tables.ts';

export type PlanVersion = {
  id: string;
  version: number;
  key: string;
  name: string;
  sha256: string;
  comment: string | null;
  createdAt: Date;
  createdBy: { name: string };
  active: boolean;
};

export type LoadedPlan = {
  workspaceId: string;
  versionId: string;
  version: number;
  plan: Plan;
  source: string;
};

/** A plan that does not validate, with every problem; transports list them field by field. */
export class InvalidPlan extends InvalidInput {
  readonly problems: PlanProblem[];
  constructor(problems: PlanProblem[]) {
    super(
      `the plan has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems.map((p) => ({
        field: p.path || '(document)',
        message: `line ${p.line}, column ${p.column}: ${p.message}`,
      })),
    );
    this.problems = problems;
  }
}

// Versions are immutable, so a parsed plan can be shared by every request and every process.
const cache = new Map<string, LoadedPlan>();
const CACHE_LIMIT = 200;

function remember(p: LoadedPlan): LoadedPlan {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(p.versionId, p);
  return p;
}

function parseStored(row: { id: string; workspaceId: string; version: number; source: string }): LoadedPlan {
  const parsed = parsePlan(row.source);
  // A stored version passed validation when applied; failing now means the format itself
  // changed incompatibly, which must be loud.
  if (!parsed.ok)
    throw new Error(`stored plan version ${row.version} no longer parses: ${parsed.problems[0]?.message}`);
  return {
    workspaceId: row.workspaceId,
    versionId: row.id,
    version: row.version,
    plan: parsed.plan,
    source: row.source,
  };
}

async function findStored(db: Db, where: SQL) {
  const [row] = await db
    .select({
      id: planVersions.id,
      workspaceId: planVersions.workspaceId,
      version: planVersions.version,
      source: planVersions.source,
    })
    .from(planVersions)
    .where(where);
  return row;
}

function versionSummary(r: typeof planVersions.$inferSelect, active: boolean): PlanVersion {
  return {
    id: r.id,
    version: r.version,
    key: r.key,
    name: r.name,
    sha256: r.sha256,
    comment: r.comment,
    createdAt: r.createdAt,
    createdBy: { name: r.createdBy.name },
    active,
  };
}

/** Published when a plan version becomes the active one: caches of the active plan let it go. */
export const PLAN_APPLIED = 'plan.applied';

export async function loadPlanVersion(db: Db, workspaceId: string, versionId: string): Promise<LoadedPlan> {
  const hit = cache.get(versionId);
  // The cache is shared by all workspaces; a hit still has to belong to the caller's.
  if (hit) {
    if (hit.workspaceId !== workspaceId) throw new NotFound(`plan version ${versionId}`);
    return hit;
  }
  const row = await findStored(
    db,
    and(eq(planVersions.id, versionId), eq(planVersions.workspaceId, workspaceId))!,
  );
  if (!row) throw new NotFound(`plan version ${versionId}`);
  return remember(parseStored(row));
}

export async function loadActivePlan(db: Db, workspaceId: string): Promise<LoadedPlan | null> {
  const [ws] = await db
    .select({ active: workspaces.activePlanVersionId })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  if (!ws?.active) return null;
  return loadPlanVersion(db, workspaceId, ws.active);
}

export async function requireActivePlan(db: Db, workspaceId: string): Promise<LoadedPlan> {
  const p = await loadActivePlan(db, workspaceId);
  if (!p) throw new InvalidInput('this workspace has no plan yet: apply one with `siaga plan apply FILE`');
  return p;
}

export async function loadPlanByNumber(db: Db, workspaceId: string, version: number): Promise<LoadedPlan> {
  const row = await findStored(
    db,
    and(eq(planVersions.workspaceId, workspaceId), eq(planVersions.version, version))!,
  );
  if (!row) throw new NotFound(`plan version ${version}`);
  return cache.get(row.id) ?? remember(parseStored(row));
}

export async function listPlanVersions(db: Db, workspaceId: string): Promise<PlanVersion[]> {
  const [ws] = await db
    .select({ active: workspaces.activePlanVersionId })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const rows = await db
    .select()
    .from(planVersions)
    .where(eq(planVersions.workspaceId, workspaceId))
    .orderBy(desc(planVersions.version));
  return rows.map((r) => versionSummary(r, r.id === ws?.active));
}

export type ApplyResult = { version: PlanVersion; unchanged: boolean };

/**
 * Validates and stores a new plan version and makes it active. Re-applying the active
 * version's exact text is a no-op, so `plan apply` can run on every deploy.
 */
export async function applyPlan(ctx: Ctx, input: { source: string; comment?: string }): Promise<ApplyResult> {
  const parsed = parsePlan(input.source);
  if (!parsed.ok) throw new InvalidPlan(parsed.problems);
  const sha256 = sha256Hex(input.source);
  const [ws] = await ctx.tx
    .select({ active: workspaces.activePlanVersionId, seq: workspaces.incidentSeq })
    .from(workspaces)
    .where(eq(workspaces.id, ctx.workspaceId))
    .for('update');
  const [last] = await ctx.tx
    .select()
    .from(planVersions)
    .where(eq(planVersions.workspaceId, ctx.workspaceId))
    .orderBy(desc(planVersions.version))
    .limit(1);
  if (last && ws?.active === last.id && last.sha256 === sha256)
    return { version: versionSummary(last, true), unchanged: true };
  const plan = parsed.plan;
  const row = {
    id: newId(),
    workspaceId: ctx.workspaceId,
    version: (last?.version ?? 0) + 1,
    key: plan.key,
    name: pick(plan.name, plan.language),
    source: input.source,
    sha256,
    comment: input.comment ?? null,
    createdAt: ctx.now,
    createdBy: ctx.actor,
  };
  await ctx.tx.insert(planVersions).values(row);
  await ctx.tx
    .update(workspaces)
    .set({ activePlanVersionId: row.id })
    .where(eq(workspaces.id, ctx.workspaceId));
  ctx.audit('plan.applied', 'plan_version', row.id, {
    version: row.version,
    key: row.key,
    sha256,
    comment: row.comment,
  });
  ctx.publish({ type: PLAN_APPLIED, id: row.id });
  remember({
    workspaceId: ctx.workspaceId,
    versionId: row.id,
    version: row.version,
    plan,
    source: input.source,
  });
  return { version: versionSummary(row, true), unchanged: false };
}
