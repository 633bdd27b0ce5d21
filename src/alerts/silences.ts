import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { workspaces } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import type { Matcher } from '../plans/index.ts';
import { MatcherSchema } from '../plans/schema/primitives.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { newId, UUID_RE } from '../shared/ids.ts';
import { matchesAll } from './match.ts';
import type { IncomingAlert } from './model.ts';
import { silences } from './tables.ts';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const SilenceInput = z.strictObject({
  matchers: z
    .record(z.string().min(1).max(100), MatcherSchema)
    .refine((m) => Object.keys(m).length > 0, 'name at least one label')
    .describe('Label or field → matcher, as in the plan’s routing rules; all must hold'),
  starts_at: instant.optional().describe('Defaults to now'),
  ends_at: instant,
  reason: z.string().trim().min(1).max(2000),
  kind: z.enum(['silence', 'maintenance']).default('silence'),
});
export type SilenceInput = z.output<typeof SilenceInput>;
export type SilenceRow = typeof silences.$inferSelect;

/** Published when a silence starts to exist or is expired: the intake holds live silences. */
export const SILENCES_CHANGED = 'alerts.silences';

/** Silences not yet over at `now`, including those that start later. */
export function liveSilences(db: Db, workspaceId: string, now: Date): Promise<SilenceRow[]> {
  return db
    .select()
    .from(silences)
    .where(and(eq(silences.workspaceId, workspaceId), notOver(now)));
}

const notOver = (now: Date) => and(gt(silences.endsAt, now), isNull(silences.expiredAt));

/**
 * The workspace's active plan version and its live silences, in one statement: every round of
 * new alerts reads both first, and each round trip is one more its senders wait for.
 */
export async function planAndSilences(
  db: Db,
  workspaceId: string,
  now: Date,
): Promise<{ planVersionId: string | null; silences: SilenceRow[] }> {
  const rows = await db
    .select({ plan: workspaces.activePlanVersionId, silence: silences })
    .from(workspaces)
    .leftJoin(silences, and(eq(silences.workspaceId, workspaces.id), notOver(now)))
    .where(eq(workspaces.id, workspaceId));
  const live: SilenceRow[] = [];
  for (const r of rows) if (r.silence) live.push(r.silence);
  return { planVersionId: rows[0]?.plan ?? null, silences: live };
}

/** The silence that holds the alert at `now`, if any. */
export function silenceFor(live: SilenceRow[], a: IncomingAlert, now: Date): SilenceRow | undefined {
  const t = now.getTime();
  return live.find(
    (s) =>
      s.startsAt.getTime() <= t &&
      t < s.endsAt.getTime() &&
      matchesAll(s.matchers as Record<string, Matcher>, { source: a.source, title: a.title, ...a.labels }),
  );
}

export async function createSilence(ctx: Ctx, input: SilenceInput): Promise<SilenceRow> {
  const startsAt = input.starts_at ?? ctx.now;
  if (input.ends_at.getTime() <= startsAt.getTime())
    throw InvalidInput.field('ends_at', 'must be after starts_at');
  for (const [label, m] of Object.entries(input.matchers)) {
    const pattern =
      typeof m === 'object' && 'regex' in m
        ? m.regex
        : typeof m === 'object' && 'not_regex' in m
          ? m.not_regex
          : null;
    if (pattern === null) continue;
    try {
      new RegExp(pattern);
    } catch (e) {
      throw InvalidInput.field(
        `matchers.${label}`,
        `regular expression does not compile: ${(e as Error).message}`,
      );
    }
  }
  const row: SilenceRow = {
    id: newId(),
    workspaceId: ctx.workspaceId,
    matchers: input.matchers,
    startsAt,
    endsAt: input.ends_at,
    author: ctx.actor,
    reason: input.reason,
    kind: input.kind,
    createdAt: ctx.now,
    expiredAt: null,
  };
  await ctx.tx.insert(silences).values(row);
  ctx.publish({ type: SILENCES_CHANGED, id: row.id });
  ctx.audit(`${input.kind}.created`, 'silence', row.id, {
    matchers: input.matchers,
    starts_at: startsAt.toISOString(),
    ends_at: input.ends_at.toISOString(),
    reason: input.reason,
  });
  return row;
}

export async function expireSilence(ctx: Ctx, id: string): Promise<SilenceRow> {
  if (!UUID_RE.test(id)) throw new NotFound(`silence ${id}`);
  const [row] = await ctx.tx
    .select()
    .from(silences)
    .where(and(eq(silences.workspaceId, ctx.workspaceId), eq(silences.id, id)))
    .for('update');
  if (!row) throw new NotFound(`silence ${id}`);
  if (row.expiredAt) return row;
  await ctx.tx.update(silences).set({ expiredAt: ctx.now }).where(eq(silences.id, id));
  ctx.publish({ type: SILENCES_CHANGED, id: row.id });
  ctx.audit(`${row.kind}.expired`, 'silence', id, {});
  return { ...row, expiredAt: ctx.now };
}

export function listSilences(db: Db, workspaceId: string): Promise<SilenceRow[]> {
  return db
    .select()
    .from(silences)
    .where(eq(silences.workspaceId, workspaceId))
    .orderBy(desc(silences.createdAt))
    .limit(500);
}

export const SilenceView = z.object({
  id: z.string(),
  kind: z.string(),
  matchers: z.record(z.string(), z.unknown()),
  starts_at: z.string(),
  ends_at: z.string(),
  author: z.string(),
  reason: z.string(),
  state: z.enum(['pending', 'active', 'expired']),
});

export function silenceView(s: SilenceRow, now: Date): z.infer<typeof SilenceView> {
  const expired = s.expiredAt !== null || s.endsAt.getTime() <= now.getTime();
  return {
    id: s.id,
    kind: s.kind,
    matchers: s.matchers,
    starts_at: s.startsAt.toISOString(),
    ends_at: s.endsAt.toISOString(),
    author: s.author.name,
    reason: s.reason,
    state: expired ? 'expired' : s.startsAt.getTime() > now.getTime() ? 'pending' : 'active',
  };
}
