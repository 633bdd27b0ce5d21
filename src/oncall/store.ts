/** Reading and writing on-call state; shared by the file, the API and the directory. */
import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { memberships, users } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import { InvalidInput } from '../shared/errors.ts';
import { newId, newSecret } from '../shared/ids.ts';
import type { ScheduleFile, TeamFile } from './file-schema.ts';
import { type LayerSpec, parseShift, type ScheduleSpec } from './model.ts';
import { oncallOverrides, oncallSchedules, oncallTeamMembers, oncallTeams } from './tables.ts';

export type ScheduleRow = typeof oncallSchedules.$inferSelect;

/** E-mail → user id for the workspace's members (case-insensitive). */
export async function memberIds(db: Db, workspaceId: string, emails: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(and(eq(memberships.workspaceId, workspaceId), inArray(sql`lower(${users.email})`, wanted)));
  return new Map(rows.map((r) => [r.email.toLowerCase(), r.id]));
}

export async function emailsOf(db: Db, ids: string[]): Promise<Map<string, { email: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, { email: r.email, name: r.name }]));
}

/** Turns e-mails in a schedule into user ids; an unknown one is an input error at its field. */
export function toLayers(
  s: Pick<ScheduleFile, 'layers'>,
  ids: Map<string, string>,
  base: string,
): LayerSpec[] {
  return s.layers.map((l, i) => ({
    name: l.name ?? `Layer ${i + 1}`,
    participants: l.participants.map((e, j) => {
      const id = ids.get(e.toLowerCase());
      if (!id)
        throw InvalidInput.field(
          `${base}layers[${i}].participants[${j}]`,
          `${e} is not a member of this workspace`,
        );
      return id;
    }),
    shift: parseShift(l.shift)!,
    handoff: l.handoff,
    start: l.start,
    ...(l.until ? { until: new Date(l.until).toISOString() } : {}),
  }));
}

export function allEmails(s: Pick<ScheduleFile, 'layers' | 'overrides'>): string[] {
  return [...s.layers.flatMap((l) => l.participants), ...s.overrides.map((o) => o.user)];
}

/** Creates or replaces a schedule by key, keeping its id and feed secret. */
export async function upsertSchedule(
  ctx: Ctx,
  s: ScheduleFile,
  opts: { fromFile: boolean; fieldBase?: string },
): Promise<ScheduleRow> {
  const base = opts.fieldBase ?? '';
  const ids = await memberIds(ctx.tx, ctx.workspaceId, allEmails(s));
  const layers = toLayers(s, ids, base);
  const overrides = s.overrides.map((o, i) => {
    const id = ids.get(o.user.toLowerCase());
    if (!id)
      throw InvalidInput.field(`${base}overrides[${i}].user`, `${o.user} is not a member of this workspace`);
    return { userId: id, startsAt: new Date(o.from), endsAt: new Date(o.to) };
  });
  const [row] = await ctx.tx
    .insert(oncallSchedules)
    .values({
      id: newId(),
      workspaceId: ctx.workspaceId,
      key: s.key,
      name: s.name,
      timeZone: s.time_zone,
      layers,
      feedToken: newSecret('sgcal'),
      fromFile: opts.fromFile,
      updatedAt: ctx.now,
    })
    .onConflictDoUpdate({
      target: [oncallSchedules.workspaceId, oncallSchedules.key],
      set: { name: s.name, timeZone: s.time_zone, layers, fromFile: opts.fromFile, updatedAt: ctx.now },
    })
    .returning();
  // Overrides the file declares are the file's; ones added by API stay until they end.
  await ctx.tx
    .delete(oncallOverrides)
    .where(and(eq(oncallOverrides.scheduleId, row!.id), eq(oncallOverrides.fromFile, true)));
  if (overrides.length > 0) {
    await ctx.tx.insert(oncallOverrides).values(
      overrides.map((o) => ({
        id: newId(),
        scheduleId: row!.id,
        ...o,
        fromFile: true,
        createdAt: ctx.now,
      })),
    );
  }
  return row!;
}

export async function upsertTeam(
  ctx: Ctx,
  t: TeamFile,
  opts: { fromFile: boolean; fieldBase?: string },
): Promise<string> {
  const ids = await memberIds(ctx.tx, ctx.workspaceId, t.members);
  const members = t.members.map((e, i) => {
    const id = ids.get(e.toLowerCase());
    if (!id)
      throw InvalidInput.field(
        `${opts.fieldBase ?? ''}members[${i}]`,
        `${e} is not a member of this workspace`,
      );
    return id;
  });
  const [row] = await ctx.tx
    .insert(oncallTeams)
    .values({
      id: newId(),
      workspaceId: ctx.workspaceId,
      key: t.key,
      name: t.name,
      scheduleKey: t.schedule ?? null,
      fromFile: opts.fromFile,
      updatedAt: ctx.now,
    })
    .onConflictDoUpdate({
      target: [oncallTeams.workspaceId, oncallTeams.key],
      set: { name: t.name, scheduleKey: t.schedule ?? null, fromFile: opts.fromFile, updatedAt: ctx.now },
    })
    .returning({ id: oncallTeams.id });
  await ctx.tx.delete(oncallTeamMembers).where(eq(oncallTeamMembers.teamId, row!.id));
  const unique = [...new Set(members)];
  if (unique.length > 0) {
    await ctx.tx
      .insert(oncallTeamMembers)
      .values(unique.map((userId, position) => ({ teamId: row!.id, userId, position })));
  }
  return row!.id;
}

export async function findSchedule(
  db: Db,
  workspaceId: string,
  key: string,
): Promise<ScheduleRow | undefined> {
  const [row] = await db
    .select()
    .from(oncallSchedules)
    .where(and(eq(oncallSchedules.workspaceId, workspaceId), eq(oncallSchedules.key, key)));
  return row;
}

export async function listSchedules(db: Db, workspaceId: string): Promise<ScheduleRow[]> {
  return db
    .select()
    .from(oncallSchedules)
    .where(eq(oncallSchedules.workspaceId, workspaceId))
    .orderBy(oncallSchedules.key);
}

/** The schedule with the overrides that touch [from, to). */
export async function specOf(db: Db, row: ScheduleRow, from: Date, to: Date): Promise<ScheduleSpec> {
  const overrides = await db
    .select({
      userId: oncallOverrides.userId,
      startsAt: oncallOverrides.startsAt,
      endsAt: oncallOverrides.endsAt,
    })
    .from(oncallOverrides)
    .where(
      and(
        eq(oncallOverrides.scheduleId, row.id),
        gt(oncallOverrides.endsAt, from),
        lt(oncallOverrides.startsAt, to),
      ),
    );
  return { timeZone: row.timeZone, layers: row.layers, overrides };
}

export type TeamRow = typeof oncallTeams.$inferSelect & { members: string[] };

export async function listTeams(db: Db, workspaceId: string, key?: string): Promise<TeamRow[]> {
  const teams = await db
    .select()
    .from(oncallTeams)
    .where(
      and(eq(oncallTeams.workspaceId, workspaceId), key === undefined ? undefined : eq(oncallTeams.key, key)),
    )
    .orderBy(oncallTeams.key);
  if (teams.length === 0) return [];
  const members = await db
    .select()
    .from(oncallTeamMembers)
    .where(
      inArray(
        oncallTeamMembers.teamId,
        teams.map((t) => t.id),
      ),
    )
    .orderBy(oncallTeamMembers.position);
  return teams.map((t) => ({ ...t, members: members.filter((m) => m.teamId === t.id).map((m) => m.userId) }));
}
