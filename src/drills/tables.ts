import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../access/tables.ts';
import type { Actor } from '../audit/tables.ts';
import { incidents } from '../incidents/tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A drill that was held: a tabletop recorded by hand, or a drill incident run from a scenario. */
export const drillRecords = pgTable('drill_records', {
  id: uuid('id').primaryKey(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  drillKey: text('drill_key').notNull(),
  heldAt: ts('held_at').notNull(),
  incidentId: uuid('incident_id').references(() => incidents.id),
  scenario: text('scenario'),
  note: text('note').notNull().default(''),
  recordedBy: jsonb('recorded_by').$type<Actor>().notNull(),
  createdAt: ts('created_at').notNull(),
});

export const drillReminders = pgTable(
  'drill_reminders',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    drillKey: text('drill_key').notNull(),
    dueAt: ts('due_at').notNull(),
    sentAt: ts('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.drillKey, t.dueAt] })],
);
