import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { RaisedAlert } from '../kernel/ports.ts';
import type { Ctx } from '../kernel/verb.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import { newId, newSecret, sha256Hex } from '../shared/ids.ts';
import { statusComponents, statusPages } from '../statuspage/tables.ts';
import type { ProbeResult } from './probe.ts';
import type { MonitorInput } from './schemas.ts';
import { applyResult, reportFailure, type Transition } from './state.ts';
import { monitorResults, monitors } from './tables.ts';

export const CHECK_JOB = 'monitors.check';
export type MonitorRow = typeof monitors.$inferSelect;

export async function findMonitor(db: Db, workspaceId: string, key: string): Promise<MonitorRow> {
  const [m] = await db
    .select()
    .from(monitors)
    .where(and(eq(monitors.workspaceId, workspaceId), eq(monitors.key, key)));
  if (!m) throw new NotFound(`monitor "${key}"`);
  return m;
}

/** The next check, keyed by its slot so a duplicate (the auditor, a retry) enqueues nothing. */
export function scheduleCheck(ctx: Ctx, m: { id: string; fence: number }, at: Date): void {
  ctx.enqueue({
    name: CHECK_JOB,
    data: { monitorId: m.id, fence: m.fence },
    startAfter: at,
    singletonKey: `${m.id}:${m.fence}:${at.getTime()}`,
  });
}

async function checkComponent(ctx: Ctx, id: string | null | undefined): Promise<void> {
  if (!id) return;
  const [c] = await ctx.tx
    .select({ id: statusComponents.id })
    .from(statusComponents)
    .innerJoin(statusPages, eq(statusPages.id, statusComponents.pageId))
    .where(and(eq(statusComponents.id, id), eq(statusPages.workspaceId, ctx.workspaceId)));
  if (!c) throw InvalidInput.field('component_id', 'no such status page component in this workspace');
}

function fields(input: MonitorInput) {
  return {
    name: input.name,
    kind: input.kind,
    target: input.kind === 'http' ? input.url : input.kind === 'tcp' ? input.target : null,
    method: input.kind === 'http' ? input.method : 'GET',
    expectedStatus: input.kind === 'http' ? input.expected_status : null,
    keyword: input.kind === 'http' ? input.keyword : null,
    timeoutMs: input.kind === 'push' ? 0 : input.timeout_ms,
    intervalSeconds: input.interval_seconds,
    downAfterSeconds: input.down_after_seconds,
    componentId: input.component_id ?? null,
    enabled: input.enabled,
  };
}

/** Creates or replaces a monitor. A push monitor gets a secret URL, shown once. */
export async function putMonitor(
  ctx: Ctx,
  input: MonitorInput,
): Promise<{ monitor: MonitorRow; pushToken: string | null }> {
  await checkComponent(ctx, input.component_id);
  const [old] = await ctx.tx
    .select()
    .from(monitors)
    .where(and(eq(monitors.workspaceId, ctx.workspaceId), eq(monitors.key, input.key)))
    .for('update');
  if (old && old.kind !== input.kind)
    throw new Conflict(`monitor "${input.key}" is a ${old.kind} monitor; delete it to change its kind`);
  const pushToken = input.kind === 'push' && !old?.pushHash ? newSecret('sgp') : null;
  const next = new Date(ctx.now.getTime() + (input.kind === 'push' ? input.interval_seconds * 1000 : 0));
  let row: MonitorRow;
  if (old) {
    [row] = (await ctx.tx
      .update(monitors)
      // A new fence: checks scheduled under the old settings do nothing.
      .set({ ...fields(input), fence: old.fence + 1, nextCheckAt: input.enabled ? next : null })
      .where(eq(monitors.id, old.id))
      .returning()) as [MonitorRow];
  } else {
    [row] = (await ctx.tx
      .insert(monitors)
      .values({
        id: newId(),
        workspaceId: ctx.workspaceId,
        key: input.key,
        ...fields(input),
        pushHash: pushToken ? sha256Hex(pushToken) : null,
        lastHeartbeatAt: null,
        nextCheckAt: input.enabled ? next : null,
        createdAt: ctx.now,
      })
      .returning()) as [MonitorRow];
  }
  if (row.enabled) scheduleCheck(ctx, row, next);
  ctx.audit(old ? 'monitor.updated' : 'monitor.created', 'monitor', row.id, {
    key: row.key,
    kind: row.kind,
    target: row.target,
  });
  return { monitor: row, pushToken };
}

export async function deleteMonitor(ctx: Ctx, key: string): Promise<void> {
  const m = await findMonitor(ctx.tx, ctx.workspaceId, key);
  await ctx.tx.delete(monitors).where(eq(monitors.id, m.id));
  if (m.alertFiring) await raise(ctx, m, 'resolved', 'monitor deleted');
  ctx.audit('monitor.deleted', 'monitor', m.id, { key });
}

async function raise(ctx: Ctx, m: MonitorRow, status: 'firing' | 'resolved', error: string | null) {
  if (!ctx.env.alerts) {
    // Deliberately skipped, and said: a process without the alerts module cannot page anyone.
    ctx.env.log.warn({ monitor: m.key, status }, 'monitor alert not raised: no alerts module is wired');
    return false;
  }
  const alert: RaisedAlert = {
    source: `monitor:${m.key}`,
    fingerprint: `monitor:${m.workspaceId}:${m.key}`,
    status,
    title: `${m.name} is down`,
    labels: { alertname: 'SyntheticMonitorDown', monitor: m.key, kind: m.kind },
    annotations: { ...(m.target ? { target: m.target } : {}), ...(error ? { error } : {}) },
    startsAt: m.downSince ?? ctx.now,
    ...(status === 'resolved' ? { endsAt: ctx.now } : {}),
  };
  await ctx.env.alerts.raise(ctx, [alert]);
  return true;
}

type Outcome = { ok: boolean; error: string | null; latencyMs: number; code: number | null };

/** Keeps the result and moves the monitor's state; raises or resolves its alert on the edges. */
async function applyOutcome(ctx: Ctx, m: MonitorRow, r: Outcome, t: Transition): Promise<boolean> {
  await ctx.tx
    .insert(monitorResults)
    .values({ monitorId: m.id, at: ctx.now, ok: r.ok, latencyMs: r.latencyMs, code: r.code, error: r.error })
    .onConflictDoNothing();
  let firing = t.alertFiring;
  if (t.action === 'raise') firing = await raise(ctx, { ...m, downSince: t.downSince }, 'firing', r.error);
  if (t.action === 'resolve') await raise(ctx, m, 'resolved', null);
  if (t.state !== m.state)
    ctx.audit('monitor.state_changed', 'monitor', m.id, { from: m.state, to: t.state, error: r.error });
  return firing;
}

/** Records one scheduled check and schedules the next. */
export async function recordCheck(ctx: Ctx, monitorId: string, fence: number, r: ProbeResult): Promise<void> {
  const [m] = await ctx.tx.select().from(monitors).where(eq(monitors.id, monitorId)).for('update');
  if (!m || m.fence !== fence || !m.enabled) return;
  const t = applyResult(
    { state: m.state, downSince: m.downSince, alertFiring: m.alertFiring },
    r.ok,
    ctx.now,
    m.downAfterSeconds * 1000,
  );
  const firing = await applyOutcome(ctx, m, { ...r, error: r.ok ? null : r.error }, t);
  const next = new Date(ctx.now.getTime() + m.intervalSeconds * 1000);
  await ctx.tx
    .update(monitors)
    .set({ state: t.state, downSince: t.downSince, alertFiring: firing, nextCheckAt: next })
    .where(eq(monitors.id, m.id));
  scheduleCheck(ctx, m, next);
}

/**
 * A heartbeat from a push monitor's secret URL. While the monitor is up it only moves the last
 * beat (the scheduled check judges it); after a failure or a missed beat it is the good result
 * that resolves the alert now, not at the next check.
 */
export async function heartbeat(ctx: Ctx, monitorId: string): Promise<void> {
  const [m] = await ctx.tx.select().from(monitors).where(eq(monitors.id, monitorId)).for('update');
  if (!m) return;
  const patch: Partial<MonitorRow> = { lastHeartbeatAt: ctx.now };
  if (m.enabled && m.state === 'down') {
    const t = applyResult(m, true, ctx.now, m.downAfterSeconds * 1000);
    patch.alertFiring = await applyOutcome(ctx, m, { ok: true, error: null, latencyMs: 0, code: null }, t);
    Object.assign(patch, { state: t.state, downSince: t.downSince });
  }
  await ctx.tx.update(monitors).set(patch).where(eq(monitors.id, m.id));
}

/** A failure ping: the job says it failed, so the alert is raised now, whatever the threshold. */
export async function failurePing(ctx: Ctx, monitorId: string, message: string | null): Promise<void> {
  const [m] = await ctx.tx.select().from(monitors).where(eq(monitors.id, monitorId)).for('update');
  if (!m?.enabled) return;
  const t = reportFailure(m, ctx.now);
  const error = message ? `failure reported: ${message}` : 'failure reported';
  const firing = await applyOutcome(ctx, m, { ok: false, error, latencyMs: 0, code: null }, t);
  await ctx.tx
    .update(monitors)
    .set({ state: t.state, downSince: t.downSince, alertFiring: firing, lastHeartbeatAt: ctx.now })
    .where(eq(monitors.id, m.id));
  ctx.audit('monitor.failure_reported', 'monitor', m.id, { key: m.key, message });
}
