import { and, eq, sql } from 'drizzle-orm';
import { isOpen } from '../incidents/model.ts';
import { incidents } from '../incidents/tables.ts';
import { recordChange } from '../incidents/timeline.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import { changeStatus } from '../incidents/verbs/lifecycle.ts';
import type { Recipient } from '../kernel/ports.ts';
import type { Ctx } from '../kernel/verb.ts';
import { incidentType, type Plan, type Target } from '../plans/index.ts';
import type { LoadedPlan } from '../plans/store.ts';
import {
  type Attachments,
  flushAttachments,
  flushStaged,
  forgetIncident,
  queueAttach,
} from './attachments.ts';
import type { AlertRow } from './ingest.ts';
import { type Decision, decide, type Routable } from './routing.ts';
import { alertGroups, alerts, incidentAlerts } from './tables.ts';

type Routed = { action: string; incidentId: string | null; routeKey?: string | null };
type IncidentRow = typeof incidents.$inferSelect;

/**
 * What a stored alert does to incidents. Only a change matters: a new or re-firing alert is
 * routed; a repeat of a firing one is deduplicated into its row; a resolution may settle its
 * incident.
 */
export async function routeAlert(
  ctx: Ctx,
  active: LoadedPlan,
  row: AlertRow,
  routable: Routable,
  change: { created: boolean; becameFiring: boolean },
  batch: Attachments,
): Promise<Routed> {
  const plan = active.plan;
  if (row.status === 'resolved') {
    if (row.incidentId && !change.created) await alertResolved(ctx, plan, row, batch);
    return { action: row.action, incidentId: row.incidentId };
  }
  if (!change.created && !change.becameFiring) return { action: row.action, incidentId: row.incidentId };

  const d = decide(plan, routable);
  const routeKey = d.ruleKey;
  if (d.action === 'drop') {
    ctx.audit('alert.dropped', 'alert', row.id, { rule: d.ruleKey, fingerprint: row.fingerprint });
    return { action: 'drop', incidentId: null, routeKey };
  }
  // A reopen's and a notification's subscribers may read alerts: they see this post's. Declaring
  // reads none, so a storm of new incidents writes each alert row once.
  const settled = () => flushStaged(ctx, batch);
  if (d.action === 'notify') {
    await settled();
    return { ...(await notifyOnly(ctx, row, d)), routeKey };
  }

  const groupKey = d.groupKey || `fp:${row.source}:${row.fingerprint}`;
  // This transaction already holds the group's lock and decided its open incident.
  const joined = batch.groups.get(groupKey);
  if (joined) {
    queueAttach(batch, joined, row, groupKey);
    return { action: 'attach', incidentId: joined.id, routeKey };
  }
  // Two senders racing on one group must not open two incidents: serialise on the group.
  await ctx.tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`${ctx.workspaceId}|${groupKey}`}))`);
  const found = await lockGroup(ctx, groupKey);
  const previous = found?.incident;

  let incident: IncidentRow | undefined;
  let action: string = d.action;
  if (previous && isOpen(previous.status) && withinGroupWindow(d, found!.startedAt, ctx.now)) {
    incident = previous;
    action = 'attach';
  } else if (previous && !isOpen(previous.status) && reopens(plan, previous, ctx.now)) {
    await settled();
    await changeStatus(ctx, previous.id, 'investigating', `alert fired again: ${row.title}`);
    incident = previous;
    action = 'reopen';
  }
  if (!incident) {
    incident = await openIncident(ctx, active, row, d);
    action = 'open';
    batch.groupWrites.push(
      ctx.tx
        .insert(alertGroups)
        .values({
          workspaceId: ctx.workspaceId,
          groupKey,
          incidentId: incident.id,
          startedAt: ctx.now,
          lastAlertAt: ctx.now,
        })
        .onConflictDoUpdate({
          target: [alertGroups.workspaceId, alertGroups.groupKey],
          set: { incidentId: incident.id, startedAt: ctx.now, lastAlertAt: ctx.now },
        })
        .getSQL(),
    );
  }
  queueAttach(batch, incident, row, groupKey);
  return { action, incidentId: incident.id, routeKey };
}

/**
 * The group's incident, locked, and when the group started; one statement, which also stamps
 * the group's last alert with now: every alert that gets this far joins, reopens or opens the
 * group's incident, and an opened one rewrites the whole group row anyway. Under the group's
 * lock, so the read sees what the previous holder committed.
 */
async function lockGroup(
  ctx: Ctx,
  groupKey: string,
): Promise<{ startedAt: Date; incident: IncidentRow } | undefined> {
  const g = ctx.tx.$with('g', { incidentId: alertGroups.incidentId, startedAt: alertGroups.startedAt }).as(
    sql`UPDATE alert_groups SET last_alert_at = ${ctx.now.toISOString()}::timestamptz
      WHERE workspace_id = ${ctx.workspaceId} AND group_key = ${groupKey} RETURNING incident_id, started_at`,
  );
  const [found] = await ctx.tx
    .with(g)
    .select({ startedAt: g.startedAt, incident: incidents })
    .from(g)
    .innerJoin(incidents, eq(incidents.id, g.incidentId))
    .for('update', { of: incidents });
  return found;
}

function withinGroupWindow(d: Decision, startedAt: Date, now: Date): boolean {
  return d.groupWindowMs === null || now.getTime() - startedAt.getTime() <= d.groupWindowMs;
}

function reopens(plan: Plan, inc: IncidentRow, now: Date): boolean {
  const w = plan.routing.reopen_window;
  if (!w || !inc.resolvedAt || inc.status === 'closed') return false;
  return now.getTime() - inc.resolvedAt.getTime() <= w.ms;
}

async function openIncident(ctx: Ctx, active: LoadedPlan, row: AlertRow, d: Decision): Promise<IncidentRow> {
  const plan = active.plan;
  const type = incidentType(plan, d.type)!;
  // An alert must open something even when neither rule nor type names a severity: the least
  // severe one, for a person to raise, rather than no incident at all.
  const severity = d.severity ?? type.default_severity ?? plan.severities[plan.severities.length - 1]!.key;
  const detectedAt = row.startsAt.getTime() < ctx.now.getTime() ? row.startsAt : ctx.now;
  const declared = await declareIncident(
    ctx,
    {
      title: row.title,
      type: d.type,
      severity,
      services: d.service ? [d.service] : [],
      detected_at: detectedAt,
      description: `Opened by ${row.source} alert ${row.fingerprint}${d.ruleKey ? ` (routing rule ${d.ruleKey})` : ''}.`,
    },
    // Routed and declared under the one plan this transaction read.
    active,
  );
  return declared.row;
}

async function alertResolved(ctx: Ctx, plan: Plan, row: AlertRow, batch: Attachments): Promise<void> {
  // Alerts of this post linked first, so the count of what still fires includes them.
  await flushAttachments(ctx, batch, row.incidentId!);
  forgetIncident(batch, row.incidentId!);
  const [inc] = await ctx.tx.select().from(incidents).where(eq(incidents.id, row.incidentId!)).for('update');
  if (!inc) return;
  await recordChange(ctx, inc, 'alert_resolved', `Alert resolved: ${row.title} (${row.source})`, {
    alert_id: row.id,
    source: row.source,
    fingerprint: row.fingerprint,
  });
  if (!isOpen(inc.status)) return;
  const [firing] = await ctx.tx
    .select({ n: sql<number>`count(*)::int` })
    .from(incidentAlerts)
    .innerJoin(alerts, eq(alerts.id, incidentAlerts.alertId))
    .where(and(eq(incidentAlerts.incidentId, inc.id), eq(alerts.status, 'firing')));
  if ((firing?.n ?? 0) > 0) return;
  const then = plan.routing.on_all_resolved;
  if (then === 'monitoring' && inc.status !== 'monitoring')
    await changeStatus(ctx, inc.id, 'monitoring', 'every alert of the incident resolved');
  if (then === 'resolve') await changeStatus(ctx, inc.id, 'resolved', 'every alert of the incident resolved');
}

function recipients(targets: Target[]): Recipient[] {
  const out: Recipient[] = [];
  for (const t of targets) {
    if ('schedule' in t) out.push({ schedule: t.schedule });
    else if ('team' in t) out.push({ team: t.team });
    else if ('user' in t) out.push({ user: t.user });
  }
  return out;
}

async function notifyOnly(ctx: Ctx, row: AlertRow, d: Decision): Promise<Routed> {
  const to = recipients(d.notify);
  if (!ctx.env.notifier || to.length === 0) {
    // Saying so is the point: an operator reading the alert must not assume someone was told.
    ctx.audit('alert.not_notified', 'alert', row.id, {
      rule: d.ruleKey,
      reason: ctx.env.notifier ? 'the rule names nobody to notify' : 'no notifier is configured',
    });
    return { action: 'notify_skipped', incidentId: null };
  }
  await ctx.env.notifier.notify(ctx, {
    dedupKey: `alert:${row.id}:${row.transitions}`,
    kind: 'alert.notify',
    to,
    subject: `Alert: ${row.title}`,
    text: `${row.title}\nsource: ${row.source}\nlabels: ${JSON.stringify(row.labels)}`,
  });
  ctx.audit('alert.notified', 'alert', row.id, { rule: d.ruleKey, to });
  return { action: 'notify', incidentId: null };
}
