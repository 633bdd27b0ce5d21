import { and, asc, eq, gt } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { OverrideSchema } from './file-schema.ts';
import { emailsOf, findSchedule, memberIds } from './store.ts';
import { oncallOverrides } from './tables.ts';

/**
 * Someone covers a schedule for a period. Made by API, so the on-call file's next apply keeps it
 * (`fromFile: false`): a file reload must not undo a swap two people agreed at 3 a.m.
 */
export async function addOverride(
  ctx: Ctx,
  scheduleKey: string,
  input: z.output<typeof OverrideSchema>,
): Promise<string> {
  const row = await findSchedule(ctx.tx, ctx.workspaceId, scheduleKey);
  if (!row) throw new NotFound(`schedule ${scheduleKey}`);
  const user = (await memberIds(ctx.tx, ctx.workspaceId, [input.user])).get(input.user.toLowerCase());
  if (!user) throw InvalidInput.field('user', `${input.user} is not a member of this workspace`);
  const id = newId();
  await ctx.tx.insert(oncallOverrides).values({
    id,
    scheduleId: row.id,
    userId: user,
    startsAt: new Date(input.from),
    endsAt: new Date(input.to),
    fromFile: false,
    createdAt: ctx.now,
  });
  ctx.audit('oncall.override_added', 'oncall_schedule', row.id, {
    user: input.user,
    from: input.from,
    to: input.to,
  });
  return id;
}

export type OverrideView = {
  id: string;
  user: string;
  from: string;
  to: string;
  from_file: boolean;
  created_at: string;
};

/** The schedule's overrides that have not ended by `after`, soonest first. */
export async function listOverrides(db: Db, workspaceId: string, scheduleKey: string, after: Date) {
  const row = await findSchedule(db, workspaceId, scheduleKey);
  if (!row) throw new NotFound(`schedule ${scheduleKey}`);
  const rows = await db
    .select()
    .from(oncallOverrides)
    .where(and(eq(oncallOverrides.scheduleId, row.id), gt(oncallOverrides.endsAt, after)))
    .orderBy(asc(oncallOverrides.startsAt), asc(oncallOverrides.id));
  const emails = await emailsOf(
    db,
    rows.map((r) => r.userId),
  );
  return rows.map(
    (r): OverrideView => ({
      id: r.id,
      user: emails.get(r.userId)?.email ?? r.userId,
      from: r.startsAt.toISOString(),
      to: r.endsAt.toISOString(),
      from_file: r.fromFile,
      created_at: r.createdAt.toISOString(),
    }),
  );
}

/**
 * Takes back a cover. One that has not begun is removed; one in progress ends now, so the record
 * of who was on call (and was paged) until now stays true. One written in the on-call file is
 * refused: the file's next apply would bring it back.
 */
export async function cancelOverride(
  ctx: Ctx,
  scheduleKey: string,
  id: string,
): Promise<{ outcome: 'removed' | 'ended'; to: string }> {
  const schedule = await findSchedule(ctx.tx, ctx.workspaceId, scheduleKey);
  if (!schedule) throw new NotFound(`schedule ${scheduleKey}`);
  const [row] = await ctx.tx
    .select()
    .from(oncallOverrides)
    .where(and(eq(oncallOverrides.id, id), eq(oncallOverrides.scheduleId, schedule.id)))
    .for('update');
  if (!row) throw new NotFound(`override ${id} of schedule ${scheduleKey}`);
  if (row.fromFile)
    throw new Conflict(
      `override ${id} is written in the on-call file: remove it there and apply the file, or the next apply brings it back`,
    );
  if (row.endsAt <= ctx.now)
    throw new Conflict(`override ${id} already ended at ${row.endsAt.toISOString()}`);
  const outcome = row.startsAt < ctx.now ? 'ended' : 'removed';
  if (outcome === 'ended')
    await ctx.tx.update(oncallOverrides).set({ endsAt: ctx.now }).where(eq(oncallOverrides.id, id));
  else await ctx.tx.delete(oncallOverrides).where(eq(oncallOverrides.id, id));
  const user = (await emailsOf(ctx.tx, [row.userId])).get(row.userId)?.email ?? row.userId;
  ctx.audit('oncall.override_cancelled', 'oncall_schedule', schedule.id, {
    override_id: id,
    user,
    from: row.startsAt.toISOString(),
    to: row.endsAt.toISOString(),
    outcome,
    ...(outcome === 'ended' ? { ended_at: ctx.now.toISOString() } : {}),
  });
  return { outcome, to: (outcome === 'ended' ? ctx.now : row.endsAt).toISOString() };
}
