import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { workspaces } from '../access/tables.ts';
import type { Actor } from '../audit/tables.ts';
import { incidents } from '../incidents/tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const INTEGRATION_TYPES = ['alertmanager', 'pagerduty', 'grafana', 'sentry', 'webhook'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export const integrations = pgTable(
  'integrations',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    type: text('type').$type<IntegrationType>().notNull(),
    secretHash: text('secret_hash').notNull().unique(),
    secretHint: text('secret_hint').notNull(),
    mapping: jsonb('mapping').$type<Record<string, unknown>>(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: ts('created_at').notNull(),
    rotatedAt: ts('rotated_at'),
    disabledAt: ts('disabled_at'),
  },
  (t) => [unique('integrations_workspace_name').on(t.workspaceId, t.name)],
);

export type AlertStatus = 'firing' | 'resolved';

export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    integrationId: uuid('integration_id').references(() => integrations.id),
    source: text('source').notNull(),
    fingerprint: text('fingerprint').notNull(),
    status: text('status').$type<AlertStatus>().notNull(),
    title: text('title').notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    annotations: jsonb('annotations').$type<Record<string, string>>().notNull(),
    raw: jsonb('raw'),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at'),
    firstSeenAt: ts('first_seen_at').notNull(),
    lastSeenAt: ts('last_seen_at').notNull(),
    count: integer('count').notNull().default(1),
    transitions: integer('transitions').notNull().default(0),
    /** Start of the current flap window: transitions count from here. */
    flapSince: ts('flap_since'),
    flapping: boolean('flapping').notNull().default(false),
    routeKey: text('route_key'),
    action: text('action').notNull(),
    suppressedBy: uuid('suppressed_by'),
    incidentId: uuid('incident_id').references(() => incidents.id),
  },
  (t) => [
    unique('alerts_workspace_source_fingerprint').on(t.workspaceId, t.source, t.fingerprint),
    // Not last_seen_at: the repeat write-behind changes it, and an index on it would stop those
    // updates from being made in place (see migration 0010).
    index('alerts_workspace_first_seen').on(t.workspaceId, t.firstSeenAt.desc(), t.id.desc()),
    index('alerts_incident').on(t.incidentId),
  ],
);

export const incidentAlerts = pgTable(
  'incident_alerts',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id),
    linkedAt: ts('linked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.alertId] })],
);

export const alertGroups = pgTable(
  'alert_groups',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    groupKey: text('group_key').notNull(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    startedAt: ts('started_at').notNull(),
    lastAlertAt: ts('last_alert_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.groupKey] })],
);

export const silences = pgTable(
  'silences',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    matchers: jsonb('matchers').$type<Record<string, unknown>>().notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    author: jsonb('author').$type<Actor>().notNull(),
    reason: text('reason').notNull(),
    kind: text('kind').notNull().default('silence'),
    createdAt: ts('created_at').notNull(),
    expiredAt: ts('expired_at'),
  },
  (t) => [index('silences_workspace_ends').on(t.workspaceId, t.endsAt)],
);
