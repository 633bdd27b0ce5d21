import { and, asc, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../kernel/verb.ts';
import type { Routing } from '../plans/index.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { newId } from '../shared/ids.ts';
import { formatTextArray } from '../shared/text-array.ts';
import { flushAttachments, newAttachments } from './attachments.ts';
import { flip, settle } from './flapping.ts';
import { boundRaw, type IncomingAlert } from './model.ts';
import { routeAlert } from './route-incident.ts';
import type { Routable } from './routing.ts';
import { planAndSilences, silenceFor } from './silences.ts';
import { type AlertStatus, alerts } from './tables.ts';

export type AlertRow = typeof alerts.$inferSelect;
export type Outcome = {
  id: string;
  fingerprint: string;
  created: boolean;
  action: string;
  incidentId: string | null;
  /** The row is firing, not flapping and not silenced: an unchanged repeat can only bump its count. */
  repeatable: boolean;
};

/**
 * Stores each alert deduplicated by (source, fingerprint), then routes what changed: a newly
 * firing alert is routed by the plan, a resolution moves its incident along. All in the
 * caller's transaction, so a sender is acknowledged only once everything is committed.
 */
export async function ingestAlerts(ctx: Ctx, incoming: IncomingAlert[]): Promise<Outcome[]> {
  const read = await planAndSilences(ctx.tx, ctx.workspaceId, ctx.now);
  const loaded = read.planVersionId
    ? await loadPlanVersion(ctx.tx, ctx.workspaceId, read.planVersionId)
    : null;
  const active = read.silences;
  const known = await lockExisting(ctx, incoming);
  const out: Outcome[] = [];
  const batch = newAttachments();
  for (const a of incoming) {
    const routable: Routable = {
      labels: a.labels,
      fields: { source: a.source, status: a.status, title: a.title },
    };
    const silence = silenceFor(active, a, ctx.now);
    const routing = loaded?.plan.routing ?? { flapping: undefined };
    const { row, created, becameFiring, startedFlapping } = upsert(
      ctx,
      a,
      known.get(keyOf(a)),
      silence?.id ?? null,
      routing,
    );
    // A later alert of the same post with the same fingerprint sees this one's row.
    known.set(keyOf(a), row);
    batch.writes.set(row.id, row);
    let action = row.action;
    let incidentId = row.incidentId;
    let routeKey = row.routeKey;
    if (row.flapping) {
      // Held back: a flapping alert changes no incident until it settles, but is stored and flagged.
      action = 'flapping';
      if (startedFlapping)
        ctx.audit('alert.flapping', 'alert', row.id, {
          fingerprint: a.fingerprint,
          transitions: row.transitions,
        });
    } else if (silence && a.status === 'firing') {
      action = 'suppressed';
      if (created || becameFiring)
        ctx.audit('alert.suppressed', 'alert', row.id, {
          fingerprint: a.fingerprint,
          silence_id: silence.id,
        });
    } else if (!loaded) {
      action = 'unrouted';
      if (created)
        ctx.audit('alert.unrouted', 'alert', row.id, { fingerprint: a.fingerprint, reason: 'no plan' });
    } else {
      const r = await routeAlert(ctx, loaded, row, routable, { created, becameFiring }, batch);
      action = r.action;
      incidentId = r.incidentId;
      routeKey = r.routeKey === undefined ? row.routeKey : r.routeKey;
    }
    if (action !== row.action || incidentId !== row.incidentId || routeKey !== row.routeKey) {
      Object.assign(row, { action, incidentId, routeKey });
      // Routing may have written the row already (before it opened an incident): write it again.
      batch.writes.set(row.id, row);
    }
    out.push({
      id: row.id,
      fingerprint: a.fingerprint,
      created,
      action,
      incidentId,
      repeatable: row.status === 'firing' && !row.flapping && row.suppressedBy === null,
    });
  }
  await flushAttachments(ctx, batch);
  return out;
}

const keyOf = (a: { source: string; fingerprint: string }) => `${a.source}\n${a.fingerprint}`;

/**
 * The stored rows of a post's alerts, locked in one query rather than one per alert; in id
 * order, so two posts sharing alerts lock them in the same order and cannot deadlock. The keys
 * travel as text[] literals, a few bind values for a thousand-alert round rather than two
 * thousand, and name the unique index's columns with `= ANY` of constants the planner can
 * count, so the plan does not hang on statistics taken while a first storm grew the table.
 */
async function lockExisting(ctx: Ctx, incoming: IncomingAlert[]): Promise<Map<string, AlertRow>> {
  const known = new Map<string, AlertRow>();
  if (incoming.length === 0) return known;
  const sources = incoming.map((a) => a.source);
  const fingerprints = formatTextArray(incoming.map((a) => a.fingerprint));
  const rows = await ctx.tx
    .select()
    .from(alerts)
    .where(
      and(
        eq(alerts.workspaceId, ctx.workspaceId),
        sql`${alerts.source} = ANY(${formatTextArray(new Set(sources))}::text[])`,
        sql`${alerts.fingerprint} = ANY(${fingerprints}::text[])`,
        sql`(${alerts.source}, ${alerts.fingerprint}) IN (SELECT * FROM unnest(${formatTextArray(sources)}::text[], ${fingerprints}::text[]))`,
      ),
    )
    .orderBy(asc(alerts.id))
    .for('update');
  for (const r of rows) known.set(keyOf(r), r);
  return known;
}

/** The alert's row after this sighting; the caller stages it for the post's batched write. */
function upsert(
  ctx: Ctx,
  a: IncomingAlert,
  existing: AlertRow | undefined,
  suppressedBy: string | null,
  routing: Pick<Routing, 'flapping'>,
): { row: AlertRow; created: boolean; becameFiring: boolean; startedFlapping: boolean } {
  const status: AlertStatus = a.status;
  const fields = {
    status,
    title: a.title,
    labels: a.labels,
    annotations: a.annotations ?? {},
    raw: boundRaw(a.raw),
    endsAt: a.status === 'resolved' ? (a.endsAt ?? ctx.now) : null,
    lastSeenAt: ctx.now,
    suppressedBy,
  };
  if (!existing) {
    const row: AlertRow = {
      id: newId(),
      workspaceId: ctx.workspaceId,
      integrationId: a.integrationId ?? null,
      source: a.source,
      fingerprint: a.fingerprint,
      ...fields,
      startsAt: a.startsAt,
      firstSeenAt: ctx.now,
      count: 1,
      transitions: 0,
      flapSince: null,
      flapping: false,
      routeKey: null,
      action: 'stored',
      incidentId: null,
    };
    ctx.audit('alert.received', 'alert', row.id, { source: a.source, fingerprint: a.fingerprint, status });
    return { row, created: true, becameFiring: status === 'firing', startedFlapping: false };
  }
  const changed = existing.status !== status;
  // A re-fire after resolution is a new episode: it starts when the sender says it did.
  const startsAt = changed && status === 'firing' ? a.startsAt : existing.startsAt;
  const flap = (changed ? flip : settle)(existing, ctx.now, routing);
  const patch = { ...fields, startsAt, count: existing.count + 1, ...flap };
  if (a.statusOnly) {
    patch.title = existing.title;
    patch.labels = existing.labels;
    patch.annotations = existing.annotations;
    patch.raw = existing.raw;
  }
  if (changed)
    ctx.audit(`alert.${status}`, 'alert', existing.id, { source: a.source, fingerprint: a.fingerprint });
  return {
    row: { ...existing, ...patch },
    created: false,
    becameFiring: changed && status === 'firing',
    startedFlapping: flap.flapping && !existing.flapping,
  };
}
