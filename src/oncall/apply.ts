/** Applying the on-call file: everything it names is replaced, what it no longer names goes. */
import { and, eq, notInArray } from 'drizzle-orm';
import type { Ctx } from '../kernel/verb.ts';
import type { PathProblem, PlanProblem } from '../plans/problems.ts';
import { sortProblems } from '../plans/problems.ts';
import { InvalidInput } from '../shared/errors.ts';
import { sha256Hex } from '../shared/ids.ts';
import { parseOnCallFile } from './file.ts';
import type { OnCallFile } from './file-schema.ts';
import type { TargetRef } from './model.ts';
import { memberIds, upsertSchedule, upsertTeam } from './store.ts';
import { oncallFiles, oncallSchedules, oncallTeams } from './tables.ts';

/** An on-call file that does not validate, with every problem at its line and column. */
export class InvalidOnCallFile extends InvalidInput {
  readonly problems: PlanProblem[];
  constructor(problems: PlanProblem[]) {
    super(
      `the on-call file has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      problems.map((p) => ({
        field: p.path || '(document)',
        message: `line ${p.line}, column ${p.column}: ${p.message}`,
      })),
    );
    this.problems = problems;
  }
}

function emailsWithPaths(f: OnCallFile): { email: string; path: (string | number)[] }[] {
  const out: { email: string; path: (string | number)[] }[] = [];
  f.teams.forEach((t, i) => {
    t.members.forEach((email, j) => {
      out.push({ email, path: ['teams', i, 'members', j] });
    });
  });
  f.schedules.forEach((s, i) => {
    s.layers.forEach((l, j) => {
      l.participants.forEach((email, k) => {
        out.push({ email, path: ['schedules', i, 'layers', j, 'participants', k] });
      });
    });
    s.overrides.forEach((o, j) => {
      out.push({ email: o.user, path: ['schedules', i, 'overrides', j, 'user'] });
    });
  });
  for (const section of ['roles', 'contacts'] as const) {
    for (const [k, t] of Object.entries(f[section]))
      if ('user' in t) out.push({ email: t.user, path: [section, k, 'user'] });
  }
  return out;
}

export type OnCallApplied = { schedules: string[]; teams: string[]; policies: string[]; unchanged: boolean };

/** Validates the whole file (shape, references, members) before writing anything. */
export async function checkOnCallFile(ctx: Ctx, source: string) {
  const parsed = parseOnCallFile(source);
  if (!parsed.ok) throw new InvalidOnCallFile(parsed.problems);
  const named = emailsWithPaths(parsed.file);
  const ids = await memberIds(
    ctx.tx,
    ctx.workspaceId,
    named.map((n) => n.email),
  );
  const missing: PathProblem[] = named
    .filter((n) => !ids.has(n.email.toLowerCase()))
    .map((n) => ({ path: n.path, message: `${n.email} is not a member of this workspace` }));
  if (missing.length > 0) throw new InvalidOnCallFile(sortProblems(missing.map(parsed.locate)));
  return { file: parsed.file, ids };
}

export async function applyOnCallFile(ctx: Ctx, input: { source: string }): Promise<OnCallApplied> {
  const { file, ids } = await checkOnCallFile(ctx, input.source);
  const sha256 = sha256Hex(input.source);
  const [current] = await ctx.tx
    .select({ sha256: oncallFiles.sha256 })
    .from(oncallFiles)
    .where(eq(oncallFiles.workspaceId, ctx.workspaceId));
  const summary = {
    schedules: file.schedules.map((s) => s.key),
    teams: file.teams.map((t) => t.key),
    policies: file.policies.map((p) => p.key),
  };
  if (current?.sha256 === sha256) return { ...summary, unchanged: true };

  for (const s of file.schedules) await upsertSchedule(ctx, s, { fromFile: true });
  for (const t of file.teams) await upsertTeam(ctx, t, { fromFile: true });
  const gone = <T extends typeof oncallSchedules | typeof oncallTeams>(table: T, keep: string[]) =>
    and(
      eq(table.workspaceId, ctx.workspaceId),
      eq(table.fromFile, true),
      keep.length ? notInArray(table.key, keep) : undefined,
    );
  await ctx.tx.delete(oncallSchedules).where(gone(oncallSchedules, summary.schedules));
  await ctx.tx.delete(oncallTeams).where(gone(oncallTeams, summary.teams));

  const toRef = (t: OnCallFile['roles'][string]): TargetRef =>
    'user' in t ? { user: ids.get(t.user.toLowerCase())! } : t;
  const row = {
    source: input.source,
    sha256,
    roles: Object.fromEntries(Object.entries(file.roles).map(([k, t]) => [k, toRef(t)])),
    contacts: Object.fromEntries(Object.entries(file.contacts).map(([k, t]) => [k, toRef(t)])),
    policies: file.policies,
    appliedAt: ctx.now,
    appliedBy: ctx.actor,
  };
  await ctx.tx
    .insert(oncallFiles)
    .values({ workspaceId: ctx.workspaceId, ...row })
    .onConflictDoUpdate({ target: oncallFiles.workspaceId, set: row });
  ctx.audit('oncall.file_applied', 'oncall_file', null, { sha256, ...summary });
  return { ...summary, unchanged: false };
}
