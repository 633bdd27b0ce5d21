import {
  bigserial,
  boolean,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { workspaces } from '../access/tables.ts';
import { incidents } from '../incidents/tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const COMPONENT_STATUSES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

export const INCIDENT_STATUSES = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
  'postmortem',
] as const;
export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export const IMPACTS = ['none', 'minor', 'major', 'critical', 'maintenance'] as const;
export type Impact = (typeof IMPACTS)[number];

export type AffectedComponent = { code: string; name: string; old_status: string; new_status: string };

export const statusPages = pgTable('status_pages', {
  id: uuid('id').primaryKey(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  host: text('host').unique(),
  timeZone: text('time_zone').notNull().default('Etc/UTC'),
  language: text('language').$type<'en' | 'id'>().notNull().default('en'),
  secretHash: text('secret_hash'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const statusComponents = pgTable(
  'status_components',
  {
    id: uuid('id').primaryKey(),
    pageId: uuid('page_id')
      .notNull()
      .references(() => statusPages.id),
    groupId: uuid('group_id'),
    isGroup: boolean('is_group').notNull().default(false),
    name: text('name').notNull(),
    description: text('description'),
    position: integer('position').notNull(),
    serviceKey: text('service_key'),
    status: text('status').$type<ComponentStatus>().notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [unique('status_components_page_id_name_key').on(t.pageId, t.name)],
);

export const statusComponentChanges = pgTable('status_component_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  componentId: uuid('component_id')
    .notNull()
    .references(() => statusComponents.id),
  at: ts('at').notNull(),
  status: text('status').$type<ComponentStatus>().notNull(),
});

export const statusIncidents = pgTable(
  'status_incidents',
  {
    id: uuid('id').primaryKey(),
    pageId: uuid('page_id')
      .notNull()
      .references(() => statusPages.id),
    kind: text('kind').$type<'incident' | 'maintenance'>().notNull(),
    incidentId: uuid('incident_id').references(() => incidents.id),
    name: text('name').notNull(),
    status: text('status').notNull(),
    impact: text('impact').$type<Impact>().notNull(),
    componentIds: uuid('component_ids').array().notNull(),
    scheduledFor: ts('scheduled_for'),
    scheduledUntil: ts('scheduled_until'),
    startedAt: ts('started_at').notNull(),
    monitoringAt: ts('monitoring_at'),
    resolvedAt: ts('resolved_at'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [unique('status_incidents_page_id_incident_id_key').on(t.pageId, t.incidentId)],
);

export const statusIncidentUpdates = pgTable('status_incident_updates', {
  id: uuid('id').primaryKey(),
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  statusIncidentId: uuid('status_incident_id')
    .notNull()
    .references(() => statusIncidents.id),
  sourceUpdateId: uuid('source_update_id').unique(),
  status: text('status').notNull(),
  body: text('body').notNull(),
  affectedComponents: jsonb('affected_components').$type<AffectedComponent[]>().notNull(),
  createdAt: ts('created_at').notNull(),
});

export const statusSubscribers = pgTable(
  'status_subscribers',
  {
    id: uuid('id').primaryKey(),
    pageId: uuid('page_id')
      .notNull()
      .references(() => statusPages.id),
    kind: text('kind').$type<'email' | 'webhook'>().notNull(),
    address: text('address').notNull(),
    componentIds: uuid('component_ids').array().notNull(),
    confirmHash: text('confirm_hash'),
    unsubscribeToken: text('unsubscribe_token').notNull().unique(),
    confirmedAt: ts('confirmed_at'),
    createdAt: ts('created_at').notNull(),
    failures: integer('failures').notNull().default(0),
    lastError: text('last_error'),
    bouncedAt: ts('bounced_at'),
  },
  (t) => [unique('status_subscribers_page_id_kind_address_key').on(t.pageId, t.kind, t.address)],
);

export const statusDeliveries = pgTable(
  'status_deliveries',
  {
    id: uuid('id').primaryKey(),
    subscriberId: uuid('subscriber_id')
      .notNull()
      .references(() => statusSubscribers.id, { onDelete: 'cascade' }),
    updateId: uuid('update_id')
      .notNull()
      .references(() => statusIncidentUpdates.id),
    state: text('state').$type<'pending' | 'sending' | 'sent' | 'failed'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    claimedAt: ts('claimed_at'),
    sentAt: ts('sent_at'),
  },
  (t) => [unique('status_deliveries_subscriber_id_update_id_key').on(t.subscriberId, t.updateId)],
);
