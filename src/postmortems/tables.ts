import {
  bigint,
  date,
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
import { incidents } from '../incidents/tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const POSTMORTEM_STATES = ['draft', 'in_review', 'published'] as const;
export type PostmortemState = (typeof POSTMORTEM_STATES)[number];

/** One section of the document as people edit it; `prefill` says what Siaga renders into it live. */
export type StoredSection = {
  key: string;
  title: string;
  body: string;
  prefill: string;
  required: boolean;
  /** The template's starting text, so "still only the prompt" can be told from written. */
  prompt: string;
};

export type Reviewer = { user_id: string; approved_at: string | null };

export const postmortems = pgTable('postmortems', {
  id: uuid('id').primaryKey(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  incidentId: uuid('incident_id')
    .notNull()
    .unique()
    .references(() => incidents.id),
  state: text('state').$type<PostmortemState>().notNull(),
  title: text('title').notNull(),
  headingLevel: integer('heading_level').notNull(),
  preamble: text('preamble').notNull().default(''),
  sections: jsonb('sections').$type<StoredSection[]>().notNull(),
  authorId: uuid('author_id').references(() => users.id),
  reviewers: jsonb('reviewers').$type<Reviewer[]>().notNull().default([]),
  rootCauses: text('root_causes').array().notNull().default([]),
  dueAt: ts('due_at'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  submittedAt: ts('submitted_at'),
  publishedAt: ts('published_at'),
  version: integer('version').notNull().default(1),
});

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'wont_do'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const actionItems = pgTable(
  'action_items',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    ownerId: uuid('owner_id').references(() => users.id),
    /** A team or person outside Siaga ("Dev Team"), as the seeds' tables name owners. */
    ownerLabel: text('owner_label').notNull().default(''),
    priority: text('priority').notNull(),
    status: text('status').$type<ActionStatus>().notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    /** End of the due day in the plan's time zone: when the item becomes overdue. */
    dueAt: ts('due_at'),
    trackerUrl: text('tracker_url'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    completedAt: ts('completed_at'),
    remindToken: integer('remind_token').notNull().default(0),
    remindedAt: ts('reminded_at'),
  },
  (t) => [unique().on(t.incidentId, t.number)],
);

export const incidentLinks = pgTable(
  'incident_links',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    recurrenceOf: uuid('recurrence_of')
      .notNull()
      .references(() => incidents.id),
    note: text('note').notNull().default(''),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.recurrenceOf] })],
);

/** Clock outcomes stored when an incident resolves, for counting targets met in SQL. */
export const incidentClockResults = pgTable(
  'incident_clock_results',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    clockKey: text('clock_key').notNull(),
    kind: text('kind').notNull(),
    state: text('state').notNull(),
    slackMs: bigint('slack_ms', { mode: 'number' }),
    deadline: ts('deadline'),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.clockKey] })],
);

// The metrics and drills modules keep their tables beside their code; the table registry
// (db/schema.ts) reaches them through this one file.
export * from '../drills/tables.ts';
export * from '../metrics/tables.ts';
