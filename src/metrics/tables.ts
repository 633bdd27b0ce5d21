import { boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../access/tables.ts';
import { incidents } from '../incidents/tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** When the problem began, when that is earlier than detection: MTTD runs from here to detected. */
export const incidentOnsets = pgTable('incident_onsets', {
  incidentId: uuid('incident_id')
    .primaryKey()
    .references(() => incidents.id),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  beganAt: ts('began_at').notNull(),
  /** "alert" (earliest alert start), "postmortem" (established afterwards) or "declared". */
  source: text('source').notNull(),
  recordedAt: ts('recorded_at').notNull(),
});

/**
 * One row per incident with stored clock outcomes (written with them by results.ts), carrying
 * the incident's detection time and drill flag so the targets count reads no other table.
 * A trigger on incidents keeps those two copies equal to the incident's (migration 0009).
 */
export const incidentTargetFacts = pgTable('incident_target_facts', {
  incidentId: uuid('incident_id')
    .primaryKey()
    .references(() => incidents.id),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  detectedAt: ts('detected_at').notNull(),
  drill: boolean('drill').notNull(),
  /** The met and breached clocks as JSON [[kind, clock_key, state], ...]: equal sets group together. */
  outcomes: text('outcomes').notNull(),
});
