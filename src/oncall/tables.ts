import {
  boolean,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users, workspaces } from '../access/tables.ts';
import type { Actor } from '../audit/tables.ts';
import type { EscalationPath } from '../plans/schema/escalation.ts';
import type { LayerSpec, TargetRef } from './model.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const oncallFiles = pgTable('oncall_files', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  source: text('source').notNull(),
  sha256: text('sha256').notNull(),
  roles: jsonb('roles').$type<Record<string, TargetRef>>().notNull(),
  contacts: jsonb('contacts').$type<Record<string, TargetRef>>().notNull(),
  policies: jsonb('policies').$type<EscalationPath[]>().notNull(),
  appliedAt: ts('applied_at').notNull(),
  appliedBy: jsonb('applied_by').$type<Actor>().notNull(),
});

export const oncallTeams = pgTable(
  'oncall_teams',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    /** The team's on-call schedule; without one, the whole team is paged. */
    scheduleKey: text('schedule_key'),
    fromFile: boolean('from_file').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [unique('oncall_teams_key').on(t.workspaceId, t.key)],
);

export const oncallTeamMembers = pgTable(
  'oncall_team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => oncallTeams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

export const oncallSchedules = pgTable(
  'oncall_schedules',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    layers: jsonb('layers').$type<LayerSpec[]>().notNull(),
    feedToken: text('feed_token').notNull().unique(),
    fromFile: boolean('from_file').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [unique('oncall_schedules_key').on(t.workspaceId, t.key)],
);

export const oncallOverrides = pgTable('oncall_overrides', {
  id: uuid('id').primaryKey(),
  scheduleId: uuid('schedule_id')
    .notNull()
    .references(() => oncallSchedules.id, { onDelete: 'cascade' }),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at').notNull(),
  fromFile: boolean('from_file').notNull(),
  createdAt: ts('created_at').notNull(),
});

export const oncallUserFeeds = pgTable(
  'oncall_user_feeds',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    token: text('token').notNull().unique(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

export const oncallShiftNotices = pgTable(
  'oncall_shift_notices',
  {
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => oncallSchedules.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    startsAt: ts('starts_at').notNull(),
    sentAt: ts('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scheduleId, t.userId, t.startsAt] })],
);
