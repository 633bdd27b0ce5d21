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
import { incidents } from '../incidents/tables.ts';
import type { Recipient } from '../kernel/ports.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const CONTACT_KINDS = ['email', 'slack', 'teams', 'telegram', 'ntfy', 'webhook'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const notifyContacts = pgTable('notify_contacts', {
  id: uuid('id').primaryKey(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  kind: text('kind').$type<ContactKind>().notNull(),
  label: text('label').notNull(),
  /** E-mail address, webhook URL, Telegram chat id or ntfy topic URL. */
  address: text('address').notNull(),
  /** Generic webhooks: the HMAC key the receiver checks signatures with. */
  secret: text('secret'),
  createdAt: ts('created_at').notNull(),
});

export const notifyRules = pgTable(
  'notify_rules',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => notifyContacts.id, { onDelete: 'cascade' }),
    /** 0 = at once; later rules fire only while the incident is still unacknowledged. */
    delaySeconds: integer('delay_seconds').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [unique('notify_rules_unique').on(t.contactId, t.delaySeconds)],
);

export const notifyChannelEndpoints = pgTable(
  'notify_channel_endpoints',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    channelKey: text('channel_key').notNull(),
    drill: boolean('drill').notNull(),
    kind: text('kind').$type<ContactKind>().notNull(),
    address: text('address').notNull(),
    secret: text('secret'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.channelKey, t.drill] })],
);

export const notifyKeys = pgTable('notify_keys', {
  name: text('name').primaryKey(),
  secret: text('secret').notNull(),
  createdAt: ts('created_at').notNull(),
});

export type Undeliverable = { recipient: string; reason: string };

export const notifyNotices = pgTable(
  'notify_notices',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    dedupKey: text('dedup_key').notNull(),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    incidentId: uuid('incident_id').references(() => incidents.id),
    drill: boolean('drill').notNull(),
    url: text('url'),
    recipients: jsonb('recipients').$type<Recipient[]>().notNull(),
    /** Who could not be reached and why (nobody on call, no contact methods, no endpoint). */
    undeliverable: jsonb('undeliverable').$type<Undeliverable[]>().notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [unique('notify_notices_dedup').on(t.workspaceId, t.dedupKey)],
);

export const DELIVERY_STATES = ['pending', 'sending', 'sent', 'failed', 'skipped', 'held', 'folded'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const notifyDeliveries = pgTable('notify_deliveries', {
  id: uuid('id').primaryKey(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  noticeId: uuid('notice_id')
    .notNull()
    .references(() => notifyNotices.id),
  userId: uuid('user_id').references(() => users.id),
  contactId: uuid('contact_id').references(() => notifyContacts.id, { onDelete: 'set null' }),
  /** Set for a plan channel (Slack #incidents), null for a person's contact method. */
  channelKey: text('channel_key'),
  kind: text('kind').$type<ContactKind>().notNull(),
  address: text('address').notNull(),
  secret: text('secret'),
  /** One per (incident, step, contact): a retry or a restart reuses it, never a second row. */
  idempotencyKey: text('idempotency_key').notNull().unique(),
  state: text('state').$type<DeliveryState>().notNull(),
  dueAt: ts('due_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  /** Fencing: whoever holds the current token may send; an expired lease may be taken over. */
  leaseToken: uuid('lease_token'),
  leaseUntil: ts('lease_until'),
  sentAt: ts('sent_at'),
  reason: text('reason'),
  /** A storm summary: the deliveries it folds. */
  summaryOf: jsonb('summary_of').$type<string[]>(),
  /** A later rule ("Telegram after 2 minutes"): skipped once the incident is acknowledged. */
  untilAck: boolean('until_ack').notNull(),
  /** Signed one-click links carried by this message (acknowledge, resolve, open). */
  actions: jsonb('actions').$type<{ label: string; url: string }[]>().notNull(),
  createdAt: ts('created_at').notNull(),
});

export const notifyAttempts = pgTable(
  'notify_attempts',
  {
    id: uuid('id').primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => notifyDeliveries.id),
    attempt: integer('attempt').notNull(),
    leaseToken: uuid('lease_token').notNull(),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at'),
    outcome: text('outcome').$type<'in_flight' | 'sent' | 'failed'>().notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
  },
  (t) => [unique('notify_attempts_unique').on(t.deliveryId, t.attempt)],
);

export const LINK_ACTIONS = ['acknowledge', 'resolve'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

export const notifyLinks = pgTable('notify_links', {
  id: uuid('id').primaryKey(),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  incidentId: uuid('incident_id')
    .notNull()
    .references(() => incidents.id),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  action: text('action').$type<LinkAction>().notNull(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  createdAt: ts('created_at').notNull(),
});

export const notifyReminders = pgTable(
  'notify_reminders',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    clockKey: text('clock_key').notNull(),
    stage: text('stage').$type<'soon' | 'due'>().notNull(),
    deadline: ts('deadline').notNull(),
    dueAt: ts('due_at').notNull(),
    state: text('state').$type<'scheduled' | 'sent' | 'cancelled'>().notNull(),
    sentAt: ts('sent_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [unique('notify_reminders_unique').on(t.incidentId, t.clockKey, t.stage, t.deadline)],
);
