import { boolean, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../access/tables.ts';
import { statusComponents } from '../statuspage/tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const MONITOR_KINDS = ['http', 'tcp', 'push'] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];

export const monitors = pgTable(
  'monitors',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<MonitorKind>().notNull(),
    target: text('target'),
    method: text('method').notNull().default('GET'),
    expectedStatus: integer('expected_status'),
    keyword: text('keyword'),
    timeoutMs: integer('timeout_ms').notNull(),
    intervalSeconds: integer('interval_seconds').notNull(),
    downAfterSeconds: integer('down_after_seconds').notNull(),
    componentId: uuid('component_id').references(() => statusComponents.id),
    pushHash: text('push_hash').unique(),
    enabled: boolean('enabled').notNull().default(true),
    state: text('state').$type<'unknown' | 'up' | 'down'>().notNull().default('unknown'),
    downSince: ts('down_since'),
    alertFiring: boolean('alert_firing').notNull().default(false),
    lastHeartbeatAt: ts('last_heartbeat_at'),
    fence: integer('fence').notNull().default(1),
    nextCheckAt: ts('next_check_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [unique('monitors_workspace_id_key_key').on(t.workspaceId, t.key)],
);

export const monitorResults = pgTable(
  'monitor_results',
  {
    monitorId: uuid('monitor_id')
      .notNull()
      .references(() => monitors.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    ok: boolean('ok').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    code: integer('code'),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.monitorId, t.at] })],
);
