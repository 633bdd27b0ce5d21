import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { principalOf, scopeOf } from '../http/auth.ts';
import type { ZApp } from '../http/server.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb } from '../kernel/verb.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { newSecret } from '../shared/ids.ts';
import { applyOnCallFile } from './apply.ts';
import { fileMappings, scheduleAt, targetAt, teamAt } from './directory.ts';
import { ScheduleFileSchema, TeamFileSchema } from './file-schema.ts';
import { type FeedEvent, renderCalendar } from './ical.ts';
import { formatShift, type Shift } from './model.ts';
import { overrideRoutes } from './override-routes.ts';
import { shiftsBetween } from './rotation.ts';
import {
  emailsOf,
  findSchedule,
  listSchedules,
  listTeams,
  type ScheduleRow,
  specOf,
  upsertSchedule,
  upsertTeam,
} from './store.ts';
import { oncallSchedules, oncallUserFeeds } from './tables.ts';

const tags = ['oncall'];
const DAY = 86_400_000;
const Key = z.object({ key: z.string().min(1).max(64) });
const At = z.object({
  at: z.iso.datetime({ offset: true }).optional().describe('An instant (ISO 8601); default now'),
});
const Window = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
const ShiftOut = z.object({ user: z.string(), start: z.string(), end: z.string(), layer: z.number() });
const ScheduleOut = z.object({
  key: z.string(),
  name: z.string(),
  time_zone: z.string(),
  layers: z.array(
    z.object({
      name: z.string(),
      participants: z.array(z.string()),
      shift: z.string(),
      handoff: z.string(),
      start: z.string(),
    }),
  ),
  on_call_now: z.array(z.string()),
  feed_url: z.string(),
  from_file: z.boolean(),
});
const OnCallNow = z.object({
  at: z.string(),
  on_call: z.array(z.object({ kind: z.string(), key: z.string(), people: z.array(z.string()) })),
});

export function oncallRoutes(app: ZApp, env: Env): void {
  overrideRoutes(app, env);
  const db = env.database.db;
  const when = (at?: string) => (at ? new Date(at) : env.clock.now());
  const emails = async (ids: string[]) => {
    const m = await emailsOf(db, ids);
    return ids.map((id) => m.get(id)?.email ?? id);
  };
  const shiftsOut = async (shifts: Shift[]) => {
    const m = await emailsOf(
      db,
      shifts.map((s) => s.userId),
    );
    return shifts.map((s) => ({
      user: m.get(s.userId)?.email ?? s.userId,
      start: s.start.toISOString(),
      end: s.end.toISOString(),
      layer: s.layer,
    }));
  };
  const scheduleOut = async (row: ScheduleRow) => {
    const people = await emailsOf(
      db,
      row.layers.flatMap((l) => l.participants),
    );
    return {
      key: row.key,
      name: row.name,
      time_zone: row.timeZone,
      layers: row.layers.map((l) => ({
        name: l.name,
        participants: l.participants.map((id) => people.get(id)?.email ?? id),
        shift: formatShift(l.shift),
        handoff: l.handoff,
        start: l.start,
      })),
      on_call_now: await emails(await scheduleAt(db, row.workspaceId, row.key, env.clock.now())),
      feed_url: `${env.publicUrl}/api/v1/feeds/oncall/${row.feedToken}.ics`,
      from_file: row.fromFile,
    };
  };
  const mustSchedule = async (ws: string, key: string, on: Db = db) => {
    const row = await findSchedule(on, ws, key);
    if (!row) throw new NotFound(`schedule ${key}`);
    return row;
  };

  app.put(
    '/api/v1/oncall/file',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Apply an on-call file (teams, schedules, role and contact mappings, policies)',
        body: z.strictObject({ source: z.string().min(1).max(1_000_000) }),
        response: {
          200: z.object({
            schedules: z.array(z.string()),
            teams: z.array(z.string()),
            policies: z.array(z.string()),
            unchanged: z.boolean(),
          }),
        },
      },
    },
    async (req) => runVerb(env, scopeOf(req), (ctx) => applyOnCallFile(ctx, req.body)),
  );

  app.get(
    '/api/v1/oncall',
    {
      schema: {
        tags,
        summary: 'Who is on call for every schedule and team, now or at an instant',
        querystring: At,
        response: { 200: OnCallNow },
      },
    },
    async (req) => {
      const ws = principalOf(req).workspaceId;
      const at = when(req.query.at);
      const out = [];
      for (const s of await listSchedules(db, ws))
        out.push({ kind: 'schedule', key: s.key, people: await emails(await scheduleAt(db, ws, s.key, at)) });
      for (const t of await listTeams(db, ws))
        out.push({ kind: 'team', key: t.key, people: await emails(await teamAt(db, ws, t.key, at)) });
      const { roles } = await fileMappings(db, ws);
      for (const [role, t] of Object.entries(roles))
        out.push({ kind: 'role', key: role, people: await emails(await targetAt(db, ws, t, at)) });
      return { at: at.toISOString(), on_call: out };
    },
  );

  for (const kind of ['schedules', 'teams', 'roles'] as const) {
    app.get(
      `/api/v1/oncall/${kind}/:key`,
      {
        schema: {
          tags,
          summary: `Who is on call for one of the ${kind}`,
          params: Key,
          querystring: At,
          response: { 200: OnCallNow },
        },
      },
      async (req) => {
        const ws = principalOf(req).workspaceId;
        const at = when(req.query.at);
        const key = req.params.key;
        let ids: string[];
        if (kind === 'schedules') ids = await scheduleAt(db, ws, (await mustSchedule(ws, key)).key, at);
        else if (kind === 'teams') {
          if ((await listTeams(db, ws, key)).length === 0) throw new NotFound(`team ${key}`);
          ids = await teamAt(db, ws, key, at);
        } else {
          const t = (await fileMappings(db, ws)).roles[key];
          if (!t) throw new NotFound(`on-call mapping for role ${key}`);
          ids = await targetAt(db, ws, t, at);
        }
        return {
          at: at.toISOString(),
          on_call: [{ kind: kind.slice(0, -1), key, people: await emails(ids) }],
        };
      },
    );
  }

  app.get(
    '/api/v1/schedules',
    {
      schema: {
        tags,
        summary: 'On-call schedules',
        response: { 200: z.object({ schedules: z.array(ScheduleOut) }) },
      },
    },
    async (req) => ({
      schedules: await Promise.all((await listSchedules(db, principalOf(req).workspaceId)).map(scheduleOut)),
    }),
  );

  app.get(
    '/api/v1/schedules/:key',
    { schema: { tags, summary: 'One schedule', params: Key, response: { 200: ScheduleOut } } },
    async (req) => scheduleOut(await mustSchedule(principalOf(req).workspaceId, req.params.key)),
  );

  app.put(
    '/api/v1/schedules/:key',
    {
      schema: {
        tags,
        summary: 'Create or replace a schedule',
        params: Key,
        body: ScheduleFileSchema.omit({ key: true }),
        response: { 200: ScheduleOut },
      },
    },
    async (req) => {
      const row = await runVerb(env, scopeOf(req), async (ctx) => {
        const r = await upsertSchedule(ctx, { ...req.body, key: req.params.key }, { fromFile: false });
        ctx.audit('oncall.schedule_saved', 'oncall_schedule', r.id, { key: r.key });
        return r;
      });
      return scheduleOut(row);
    },
  );

  app.get(
    '/api/v1/schedules/:key/shifts',
    {
      schema: {
        tags,
        summary: 'Shifts in a window (default: the next 14 days)',
        params: Key,
        querystring: Window,
        response: { 200: z.object({ shifts: z.array(ShiftOut) }) },
      },
    },
    async (req) => {
      const row = await mustSchedule(principalOf(req).workspaceId, req.params.key);
      const from = when(req.query.from);
      const to = req.query.to ? new Date(req.query.to) : new Date(from.getTime() + 14 * DAY);
      if (to <= from) throw InvalidInput.field('to', 'must be after from');
      if (to.getTime() - from.getTime() > 400 * DAY)
        throw InvalidInput.field('to', 'a window is at most 400 days');
      return { shifts: await shiftsOut(shiftsBetween(await specOf(db, row, from, to), from, to)) };
    },
  );

  app.get(
    '/api/v1/teams',
    {
      schema: {
        tags,
        summary: 'Teams and their members',
        response: {
          200: z.object({
            teams: z.array(
              z.object({
                key: z.string(),
                name: z.string(),
                schedule: z.string().nullable(),
                members: z.array(z.string()),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      teams: await Promise.all(
        (await listTeams(db, principalOf(req).workspaceId)).map(async (t) => ({
          key: t.key,
          name: t.name,
          schedule: t.scheduleKey,
          members: await emails(t.members),
        })),
      ),
    }),
  );

  app.put(
    '/api/v1/teams/:key',
    {
      schema: {
        tags,
        summary: 'Create or replace a team',
        params: Key,
        body: TeamFileSchema.omit({ key: true }),
        response: { 200: z.object({ key: z.string() }) },
      },
    },
    async (req) => {
      await runVerb(env, scopeOf(req), async (ctx) => {
        if (req.body.schedule && !(await findSchedule(ctx.tx, ctx.workspaceId, req.body.schedule)))
          throw InvalidInput.field('schedule', `no schedule ${req.body.schedule}`);
        const id = await upsertTeam(ctx, { ...req.body, key: req.params.key }, { fromFile: false });
        ctx.audit('oncall.team_saved', 'oncall_team', id, { key: req.params.key });
      });
      return { key: req.params.key };
    },
  );

  app.get(
    '/api/v1/oncall/me/feed',
    {
      schema: {
        tags,
        summary: 'The secret URL of your own on-call calendar',
        response: { 200: z.object({ feed_url: z.string() }) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const token = await userFeedToken(db, p.workspaceId, p.userId, env.clock.now());
      return { feed_url: `${env.publicUrl}/api/v1/feeds/oncall/${token}.ics` };
    },
  );

  app.get(
    '/api/v1/feeds/oncall/:file',
    {
      config: { access: 'public' },
      schema: { hide: true, params: z.object({ file: z.string().regex(/^sgcal_[\w-]+\.ics$/) }) },
    },
    async (req, reply) => {
      const token = req.params.file.slice(0, -4);
      const now = env.clock.now();
      const from = new Date(now.getTime() - 7 * DAY);
      const to = new Date(now.getTime() + 90 * DAY);
      const [sched] = await db.select().from(oncallSchedules).where(eq(oncallSchedules.feedToken, token));
      let name: string;
      const events: FeedEvent[] = [];
      const add = async (row: ScheduleRow, only?: string) => {
        const shifts = shiftsBetween(await specOf(db, row, from, to), from, to).filter(
          (s) => !only || s.userId === only,
        );
        const people = await emailsOf(
          db,
          shifts.map((s) => s.userId),
        );
        for (const s of shifts) {
          const who = people.get(s.userId);
          events.push({
            uid: `${row.id}-${s.start.getTime()}-${s.userId}@siaga`,
            start: s.start,
            end: s.end,
            summary: `On call: ${who?.name ?? s.userId} (${row.name})`,
            description: `${who?.email ?? ''} holds ${row.name} (${row.key})`,
          });
        }
      };
      if (sched) {
        name = `On call: ${sched.name}`;
        await add(sched);
      } else {
        const [feed] = await db.select().from(oncallUserFeeds).where(eq(oncallUserFeeds.token, token));
        if (!feed) throw new NotFound('calendar feed');
        name = 'My on-call shifts';
        for (const row of await listSchedules(db, feed.workspaceId)) await add(row, feed.userId);
      }
      return reply.type('text/calendar; charset=utf-8').send(renderCalendar(name, events, now));
    },
  );
}

async function userFeedToken(db: Db, workspaceId: string, userId: string, now: Date): Promise<string> {
  await db
    .insert(oncallUserFeeds)
    .values({ workspaceId, userId, token: newSecret('sgcal'), createdAt: now })
    .onConflictDoNothing();
  const [row] = await db
    .select({ token: oncallUserFeeds.token })
    .from(oncallUserFeeds)
    .where(and(eq(oncallUserFeeds.workspaceId, workspaceId), eq(oncallUserFeeds.userId, userId)));
  return row!.token;
}
