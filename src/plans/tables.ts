import { integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../access/tables.ts';
import type { Actor } from '../audit/tables.ts';

/** Every applied plan is kept; an incident points at the version it was declared under. */
export const planVersions = pgTable(
  'plan_versions',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    version: integer('version').notNull(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    /** The YAML exactly as applied: the source of truth, re-parsed when loaded. */
    source: text('source').notNull(),
    sha256: text('sha256').notNull(),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdBy: jsonb('created_by').$type<Actor>().notNull(),
  },
  (t) => [unique('plan_versions_workspace_version').on(t.workspaceId, t.version)],
);
