import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
