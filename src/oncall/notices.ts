/**
 * Shift-change notices: a periodic job looks ahead by the lead time and tells each person
 * whose shift starts in that window. The notice row is inserted first, so a notice is sent
 * once however often the job runs or restarts.
 */
import type { Env } from '../kernel/env.ts';
import { runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { shiftsBetween } from './rotation.ts';
import { specOf } from './store.ts';
import { oncallSchedules, oncallShiftNotices } from './tables.ts';

export async function sendShiftNotices(env: Env, leadMs: number): Promise<number> {
  const now = env.clock.now();
  const horizon = new Date(now.getTime() + leadMs);
  const schedules = await env.database.db.select().from(oncallSchedules);
  let sent = 0;
  for (const row of schedules) {
    const spec = await specOf(env.database.db, row, now, horizon);
    // Shifts already running at `now` are clipped to start at `now`; only real starts count.
    const starting = shiftsBetween(spec, now, horizon).filter((s) => s.start.getTime() > now.getTime());
    for (const s of starting) {
      const ok = await runVerb(env, { workspaceId: row.workspaceId, actor: SYSTEM_ACTOR }, async (ctx) => {
        const ins = await ctx.tx
          .insert(oncallShiftNotices)
          .values({ scheduleId: row.id, userId: s.userId, startsAt: s.start, sentAt: ctx.now })
          .onConflictDoNothing()
          .returning({ at: oncallShiftNotices.sentAt });
        if (ins.length === 0) return false;
        if (!env.notifier) {
          env.log.warn({ schedule: row.key }, 'shift notice recorded but no notifier is wired to deliver it');
          return true;
        }
        await env.notifier.notify(ctx, {
          dedupKey: `shift:${row.id}:${s.userId}:${s.start.toISOString()}`,
          kind: 'oncall.shift_starting',
          to: [{ user: s.userId }],
          subject: `Your ${row.name} on-call shift starts at ${s.start.toISOString()}`,
          text: `You are on call for ${row.name} from ${s.start.toISOString()} until ${s.end.toISOString()}.`,
        });
        return true;
      });
      if (ok) sent++;
    }
  }
  return sent;
}
