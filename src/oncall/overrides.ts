import type { z } from 'zod';
import type { Ctx } from '../kernel/verb.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { OverrideSchema } from './file-schema.ts';
import { findSchedule, memberIds } from './store.ts';
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
