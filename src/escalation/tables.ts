import { boolean, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../access/tables.ts';
import { incidents } from '../incidents/tables.ts';
import type { Target } from '../plans/schema/primitives.ts';
import type { PolicySnapshot } from './policy.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const STEP_STATES = ['pending', 'manual', 'done', 'skipped', 'cancelled'] as const;
export type StepState = (typeof STEP_STATES)[number];
export type Condition = 'unacknowledged' | 'unresolved' | 'always';

export const escalations = pgTable('escalations', {
  id: uuid('id').primaryKey(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  incidentId: uuid('incident_id')
    .notNull()
    .unique()
    .references(() => incidents.id),
  generation: integer('generation').notNull(),
  policy: jsonb('policy').$type<PolicySnapshot>().notNull(),
  severityKey: text('severity_key').notNull(),
  startedAt: ts('started_at').notNull(),
  state: text('state').$type<'active' | 'stopped' | 'exhausted'>().notNull(),
  stoppedAt: ts('stopped_at'),
  stopReason: text('stop_reason'),
});

export const escalationSteps = pgTable(
  'escalation_steps',
  {
    id: uuid('id').primaryKey(),
    escalationId: uuid('escalation_id')
      .notNull()
      .references(() => escalations.id),
    generation: integer('generation').notNull(),
    round: integer('round').notNull(),
    position: integer('position').notNull(),
    label: text('label'),
    condition: text('condition').$type<Condition>().notNull(),
    targets: jsonb('targets').$type<Target[]>().notNull(),
    dueAt: ts('due_at'),
    token: uuid('token').notNull(),
    state: text('state').$type<StepState>().notNull(),
    ranAt: ts('ran_at'),
    outcome: text('outcome'),
  },
  (t) => [unique('escalation_steps_slot').on(t.escalationId, t.generation, t.round, t.position)],
);

export const escalationPages = pgTable('escalation_pages', {
  dedupKey: text('dedup_key').primaryKey(),
  stepId: uuid('step_id')
    .notNull()
    .references(() => escalationSteps.id),
  incidentId: uuid('incident_id')
    .notNull()
    .references(() => incidents.id),
  recipients: jsonb('recipients').$type<string[]>().notNull(),
  pagedAt: ts('paged_at').notNull(),
  handedToNotifier: boolean('handed_to_notifier').notNull(),
});
