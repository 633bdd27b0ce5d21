import { and, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Ctx } from '../kernel/verb.ts';
import type { Plan } from '../plans/index.ts';
import { loadActivePlan } from '../plans/store.ts';
import { newId } from '../shared/ids.ts';
import { applyRouting, onResolved, type Routed } from './incident-link.ts';
import { matchesAll } from './match.ts';
import { boundedRaw, type IncomingAlert } from './model.ts';
import { decide, fieldsOf, recordFlip, stillFlapping } from './route.ts';
import { alerts, silences } from './tables.ts';

type AlertRow = typeof alerts.$inferSelect;
export type Transition = 'new' | 'refire' | 'repeat' | 'resolved' | 'acknowledged' | 'stale';
export type Outcome = { fingerprint: string; alertId: string; transition: Transition; incidentId: string | null };

/** Merges several reports of one fingerprint in a batch: the last state wins, counts add up. */
function collapse(list: IncomingAlert[]): Map<string, { alert: IncomingAlert; count: number }> {
  const out = new Map<string, { alert: IncomingAlert; count: number }>();
  for (const a of list) {
    const prev = out.get(a.fingerprint);
    out.set(a.fingerprint, { alert: a, count: (prev?.count ?? 0) + 1 });
  }
  return out;
}

async function activeSilences(ctx: Ctx) {
  return ctx.tx
    .select({ id: silences.id, matchers: silences.matchers })
    .from(silences)
    .where(
      and(
        eq(silences.workspaceId, ctx.workspaceId),
        isNull(silences.expiredAt),
        lte(silences.startsAt, ctx.now),
        gt(silences.endsAt, ctx.now),
      ),
    );
}

/**
 * Stores, deduplicates and routes alerts in the caller's transaction: one row per fingerprint,
 * then the plan's routing decides what each new or re-firing alert does to incidents. The
 * sender is acknowledged only after this commits, so a retrying sender never loses an alert.
 */
export async function raiseAlerts(ctx: Ctx, incoming: IncomingAlert[], integrationId: string | null): Promise<Outcome[]> {
  if (incoming.length === 0) return [];
  const batch = collapse(incoming);
  const fps = [...batch.keys()];
  const existing = new Map<string, AlertRow>();
  for (let i = 0; i < fps.length; i += 1000) {
    const rows = await ctx.tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.workspaceId, ctx.workspaceId), inArray(alerts.fingerprint, fps.slice(i, i + 1000))))
      .for('update');
    for (const r of rows) existing.set(r.fingerprint, r);
  }
  const plan: Plan | null = (await loadActivePlan(ctx.tx, ctx.workspaceId))?.plan ?? null;
  const routing = plan?.routing ?? { flapping: undefined };
  const silenced = await activeSilences(ctx);

  const rows: (typeof alerts.$inferInsert)[] = [];
  const outcomes: Outcome[] = [];
  const toRoute: Routed[] = [];
  const resolvedIncidents = new Set<string>();
  for (const [fp, { alert: a, count }] of batch) {
    const prev = existing.get(fp);
    // Follow-up events (PagerDuty acknowledge / resolve) carry no labels: keep what we know.
    const labels = Object.keys(a.labels).length > 0 || !prev ? a.labels : prev.labels;
    const title = prev && Object.keys(a.labels).length === 0 ? prev.title : a.title;
    const wasOpen = prev && prev.status !== 'resolved';
    const nowOpen = a.status !== 'resolved';
    let transition: Transition;
    if (!prev) transition = nowOpen ? 'new' : 'stale';
    else if (!wasOpen && nowOpen) transition = 'refire';
    else if (wasOpen && !nowOpen) transition = 'resolved';
    else if (a.status === 'acknowledged' && prev.status !== 'acknowledged') transition = 'acknowledged';
    else transition = 'repeat';

    let flips = prev?.flips ?? [];
    let flapping = prev ? stillFlapping(flips, ctx.now, routing) : false;
    if (transition === 'refire' || transition === 'resolved') ({ flips, flapping } = recordFlip(flips, ctx.now, routing));
    const silence = nowOpen ? silenced.find((s) => matchesAll(s.matchers, fieldsOf({ labels, source: a.source, title }))) : undefined;
    const decision = plan && (transition === 'new' || transition === 'refire') ? decide(plan, { labels, source: a.source, title, fingerprint: fp }) : null;
    const id = prev?.id ?? newId();
    const row: typeof alerts.$inferInsert = {
      id,
      workspaceId: ctx.workspaceId,
      integrationId: integrationId ?? prev?.integrationId ?? null,
      source: a.source,
      fingerprint: fp,
      status: a.status === 'acknowledged' && prev?.status === 'resolved' ? 'firing' : a.status,
      title,
      labels,
      annotations: Object.keys(a.annotations ?? {}).length > 0 || !prev ? (a.annotations ?? {}) : prev.annotations,
      raw: boundedRaw(a.raw),
      startsAt: transition === 'refire' || !prev ? a.startsAt : prev.startsAt,
      endsAt: a.status === 'resolved' ? (a.endsAt ?? ctx.now) : null,
      firstSeenAt: prev?.firstSeenAt ?? ctx.now,
      lastSeenAt: ctx.now,
      count: (prev?.count ?? 0) + count,
      flips,
      flapping,
      suppressedBy: silence ? silence.id : transition === 'repeat' ? (prev?.suppressedBy ?? null) : null,
      routeKey: decision ? decision.ruleKey : (prev?.routeKey ?? null),
      action: decision ? decision.action : (prev?.action ?? null),
      groupKey: decision ? decision.groupKey : (prev?.groupKey ?? null),
      incidentId: prev?.incidentId ?? null,
      updatedAt: ctx.now,
    };
    rows.push(row);
    outcomes.push({ fingerprint: fp, alertId: id, transition, incidentId: row.incidentId ?? null });
    // Held back: suppressed alerts are stored and shown, flapping ones flagged; neither changes incidents.
    if ((transition === 'new' || transition === 'refire') && !silence && !flapping)
      toRoute.push({ alertId: id, row, decision, previousIncidentId: prev?.incidentId ?? null });
    if (transition === 'resolved' && prev?.incidentId && !flapping) resolvedIncidents.add(prev.incidentId);
  }

  for (let i = 0; i < rows.length; i += 500) {
    await ctx.tx
      .insert(alerts)
      .values(rows.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [alerts.workspaceId, alerts.fingerprint],
        set: Object.fromEntries(
          [
            'integration_id', 'source', 'status', 'title', 'labels', 'annotations', 'raw', 'starts_at', 'ends_at',
            'last_seen_at', 'count', 'flips', 'flapping', 'suppressed_by', 'route_key', 'action', 'group_key', 'updated_at',
          ].map((c) => [c, sql.raw(`excluded.${c}`)]),
        ),
      });
  }

  if (plan) {
    const linked = await applyRouting(ctx, plan, toRoute);
    for (const o of outcomes) o.incidentId = linked.get(o.alertId) ?? o.incidentId;
    for (const incidentId of resolvedIncidents) await onResolved(ctx, plan, incidentId);
  }

  const changes = outcomes.filter((o) => o.transition !== 'repeat');
  ctx.audit('alerts.received', 'integration', integrationId, {
    received: incoming.length,
    distinct: batch.size,
    changes: changes.slice(0, 100).map((o) => ({ fingerprint: o.fingerprint, transition: o.transition, incident_id: o.incidentId })),
    ...(changes.length > 100 ? { changes_omitted: changes.length - 100 } : {}),
    suppressed: rows.filter((r) => r.suppressedBy && r.status !== 'resolved').map((r) => r.fingerprint).slice(0, 100),
    flapping: rows.filter((r) => r.flapping).map((r) => r.fingerprint).slice(0, 100),
  });
  if (changes.length > 0) ctx.publish({ type: 'alerts.changed' });
  return outcomes;
}
