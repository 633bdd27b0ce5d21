import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** Last incident number handed out; incremented under the row lock so numbers never repeat. */
  incidentSeq: integer('incident_seq').notNull().default(0),
  activePlanVersionId: uuid('active_plan_version_id'),
  createdAt: ts('created_at').notNull(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash'),
  createdAt: ts('created_at').notNull(),
  disabledAt: ts('disabled_at'),
});

export const ROLES = ['viewer', 'responder', 'admin'] as const;
export type AccessRole = (typeof ROLES)[number];

export const memberships = pgTable(
  'memberships',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role').$type<AccessRole>().notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

/** API tokens are stored as SHA-256 of the secret: they are long random strings, not passwords. */
export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  /** First characters of the secret, so a person can tell tokens apart in a list. */
  prefix: text('prefix').notNull(),
  /** A token may be narrower than its user's role, never wider. */
  role: text('role').$type<AccessRole>().notNull(),
  createdAt: ts('created_at').notNull(),
  lastUsedAt: ts('last_used_at'),
  expiresAt: ts('expires_at'),
  revokedAt: ts('revoked_at'),
});

export const sessions = pgTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
});
