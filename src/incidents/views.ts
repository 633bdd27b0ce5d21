import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { type Bundle, factsOf } from './bundle.ts';
import { computeClocks, type IncidentClock, mostUrgent } from './clocks.ts';
import { allowedNext, formatNumber } from './model.ts';
import type { IncidentRow } from './queries.ts';
import { STATUSES } from './tables.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const ActorView = z.object({ type: z.string(), id: z.string().nullable(), name: z.string() });

export const ClockView = z.object({
  key: z.string(),
  kind: z.enum(['response', 'phase', 'update', 'obligation', 'postmortem', 'mttr']),
  label: z.union([z.string(), z.object({ en: z.string().optional(), id: z.string().optional() })]),
  ref: z.string().nullable(),
  starts_at: z.string().nullable(),
  deadline: z.string().nullable(),
  state: z.enum(['pending', 'met', 'breached', 'not_started', 'waived']),
  met_at: z.string().nullable(),
  slack_ms: z.number().nullable(),
});

export function clockView(c: IncidentClock): z.infer<typeof ClockView> {
  return {
    key: c.key,
    kind: c.kind,
    label: c.label,
    ref: c.ref ?? null,
    starts_at: iso(c.startsAt),
    deadline: iso(c.deadline),
    state: c.state,
    met_at: iso(c.metAt),
    slack_ms: c.slackMs,
  };
}

export const IncidentSummary = z.object({
  id: z.string(),
  number: z.number(),
  ref: z.string().describe('Human reference, e.g. INC-42'),
  title: z.string(),
  type: z.string(),
  severity: z.string(),
  status: z.enum(STATUSES),
  phase: z.string().nullable(),
  drill: z.boolean(),
  services: z.array(z.string()),
  tenants: z.array(z.string()),
  correlation_ids: z.array(z.string()),
  detected_at: z.string(),
  declared_at: z.string(),
  acknowledged_at: z.string().nullable(),
  mitigated_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
  closed_at: z.string().nullable(),
  plan_version: z.number(),
  version: z.number(),
  updated_at: z.string(),
});

export function summaryView(row: IncidentRow, planVersion: number): z.infer<typeof IncidentSummary> {
  return {
    id: row.id,
    number: row.number,
    ref: formatNumber(row.number),
    title: row.title,
    type: row.typeKey,
    severity: row.severityKey,
    status: row.status,
    phase: row.phaseKey,
    drill: row.drill,
    services: row.services,
    tenants: row.tenants,
    correlation_ids: row.correlationIds,
    detected_at: row.detectedAt.toISOString(),
    declared_at: row.declaredAt.toISOString(),
    acknowledged_at: iso(row.acknowledgedAt),
    mitigated_at: iso(row.mitigatedAt),
    resolved_at: iso(row.resolvedAt),
    closed_at: iso(row.closedAt),
    plan_version: planVersion,
    version: row.version,
    updated_at: row.updatedAt.toISOString(),
  };
}

export const IncidentListItem = IncidentSummary.extend({
  commander: z.string().nullable(),
  open_tasks: z.number(),
  most_urgent_clock: ClockView.nullable(),
});

export const RoleView = z.object({
  role: z.string(),
  user_id: z.string(),
  email: z.string(),
  name: z.string(),
  assigned_at: z.string(),
});

export const TaskView = z.object({
  id: z.string(),
  source: z.string(),
  source_key: z.string().nullable(),
  title: z.string(),
  title_i18n: z.object({ en: z.string().optional(), id: z.string().optional() }).nullable(),
  role: z.string().nullable(),
  assignee: z.string().nullable(),
  due_at: z.string().nullable(),
  done_at: z.string().nullable(),
  done_by: ActorView.nullable(),
});

export const UpdateView = z.object({
  id: z.string(),
  audience: z.string(),
  template: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  fields: z.record(z.string(), z.string()),
  status_at_post: z.string(),
  posted_at: z.string(),
  posted_by: ActorView,
  next_update_at: z.string().nullable(),
});

export const IncidentDetail = IncidentSummary.extend({
  description: z.string(),
  impact: z.string(),
  acknowledged_by: ActorView.nullable(),
  created_by: ActorView,
  allowed_statuses: z.array(z.enum(STATUSES)),
  roles: z.array(RoleView),
  clocks: z.array(ClockView),
  tasks: z.array(TaskView),
  updates: z.array(UpdateView),
});

export async function listItemViews(
  db: Db,
  bundles: Bundle[],
  now: Date,
): Promise<z.infer<typeof IncidentListItem>[]> {
  return Promise.all(
    bundles.map(async (b) => {
      const { plan, version } = await loadPlanVersion(db, b.row.workspaceId, b.row.planVersionId);
      const commanderKey = plan.roles.find((r) => r.commander)?.key;
      const urgent = mostUrgent(computeClocks(plan, factsOf(b), now));
      return {
        ...summaryView(b.row, version),
        commander: b.roles.find((h) => h.role === commanderKey)?.email ?? null,
        open_tasks: b.openTasks,
        most_urgent_clock: urgent ? clockView(urgent) : null,
      };
    }),
  );
}

export async function detailView(db: Db, b: Bundle, now: Date): Promise<z.infer<typeof IncidentDetail>> {
  const row = b.row;
  const { plan, version } = await loadPlanVersion(db, row.workspaceId, row.planVersionId);
  return {
    ...summaryView(row, version),
    description: row.description,
    impact: row.impact,
    acknowledged_by: row.acknowledgedBy,
    created_by: row.createdBy,
    allowed_statuses: [...allowedNext(row.status)],
    roles: b.roles.map((h) => ({
      role: h.role,
      user_id: h.userId,
      email: h.email,
      name: h.name,
      assigned_at: h.assignedAt.toISOString(),
    })),
    clocks: computeClocks(plan, factsOf(b), now).map(clockView),
    tasks: b.tasks.map((t) => ({
      id: t.id,
      source: t.source,
      source_key: t.sourceKey,
      title: t.title,
      title_i18n: t.titleI18n,
      role: t.roleKey,
      assignee: t.assigneeEmail,
      due_at: iso(t.dueAt),
      done_at: iso(t.doneAt),
      done_by: t.doneBy,
    })),
    updates: b.updates.map((u) => ({
      id: u.id,
      audience: u.audience,
      template: u.templateKey,
      subject: u.subject,
      body: u.body,
      fields: u.fields,
      status_at_post: u.statusAtPost,
      posted_at: u.postedAt.toISOString(),
      posted_by: u.postedBy,
      next_update_at: iso(u.nextUpdateDueAt),
    })),
  };
}

export const TimelineEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: ActorView,
  kind: z.string(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
});
