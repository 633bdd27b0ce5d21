/** Who a schedule, team, plan role or contact means at an instant. */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { OnCallDirectory } from '../kernel/ports.ts';
import type { TargetRef } from './model.ts';
import { onCallAt } from './rotation.ts';
import { findSchedule, listTeams, specOf } from './store.ts';
import { oncallFiles } from './tables.ts';

export async function scheduleAt(db: Db, workspaceId: string, key: string, at: Date): Promise<string[]> {
  const row = await findSchedule(db, workspaceId, key);
  if (!row) return [];
  const who = onCallAt(await specOf(db, row, at, new Date(at.getTime() + 1)), at);
  return who ? [who.userId] : [];
}

export async function teamAt(db: Db, workspaceId: string, key: string, at: Date): Promise<string[]> {
  const [team] = await listTeams(db, workspaceId, key);
  if (!team) return [];
  if (team.scheduleKey) return scheduleAt(db, workspaceId, team.scheduleKey, at);
  return team.members;
}

export async function targetAt(db: Db, workspaceId: string, t: TargetRef, at: Date): Promise<string[]> {
  if ('user' in t) return [t.user];
  if ('schedule' in t) return scheduleAt(db, workspaceId, t.schedule, at);
  return teamAt(db, workspaceId, t.team, at);
}

export type FileMappings = { roles: Record<string, TargetRef>; contacts: Record<string, TargetRef> };

export async function fileMappings(
  db: Db,
  workspaceId: string,
): Promise<FileMappings & { policies: typeof oncallFiles.$inferSelect.policies }> {
  const [row] = await db.select().from(oncallFiles).where(eq(oncallFiles.workspaceId, workspaceId));
  return { roles: row?.roles ?? {}, contacts: row?.contacts ?? {}, policies: row?.policies ?? [] };
}

/** The port other capabilities use; reads inside the caller's transaction. */
export const directory: OnCallDirectory = {
  resolve: (ctx, to, at) =>
    'schedule' in to
      ? scheduleAt(ctx.tx, ctx.workspaceId, to.schedule, at)
      : teamAt(ctx.tx, ctx.workspaceId, to.team, at),
};
