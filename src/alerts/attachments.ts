import { type SQL, sql } from 'drizzle-orm';
import { recordset } from '../db/recordset.ts';
import { runWrites, writeClauses } from '../db/write-parts.ts';
import type { incidents } from '../incidents/tables.ts';
import { type Change, recordChanges, touch } from '../incidents/timeline.ts';
import type { Ctx } from '../kernel/verb.ts';
import type { AlertRow } from './ingest.ts';
import { incidentAlerts } from './tables.ts';
import { type AlertWrites, newAlertWrites, takeAlertWrites } from './writes.ts';

type IncidentRow = typeof incidents.$inferSelect;

/** A storm links hundreds of alerts at once: one bind parameter for all (see `recordset`). */
const linkRecords = recordset(incidentAlerts);

/** How many alerts one timeline entry describes in full; the rest are counted and linked. */
const DETAILED = 10;

/**
 * What one ingest transaction has attached so far. A storm posts hundreds of alerts of one group
 * at once: the group's lock, its lookup and its incident row are taken once per transaction, and
 * the incident gets one timeline entry per post rather than one per alert (responders read a
 * line saying 300 alerts fired, not 300 lines). Every alert is still linked and audited.
 */
export type Attachments = {
  /** Group key → the open incident this transaction decided its alerts join. */
  groups: Map<string, IncidentRow>;
  /** Incident id → the alerts waiting to be linked. */
  pending: Map<string, { incident: IncidentRow; rows: AlertRow[] }>;
  /** The alert rows themselves, written before anything links or counts them. */
  writes: AlertWrites;
  /**
   * The rows of groups this transaction opened an incident for, written with the alert rows:
   * until then the transaction itself reads a group only through `groups` (see `forgetIncident`).
   */
  groupWrites: SQL[];
};

export const newAttachments = (): Attachments => ({
  groups: new Map(),
  pending: new Map(),
  writes: newAlertWrites(),
  groupWrites: [],
});

/** What the transaction has staged and nothing has read yet: the alert rows and group rows. */
function takeStaged(batch: Attachments): SQL[] {
  const alertRows = takeAlertWrites(batch.writes);
  return [...(alertRows ? [alertRows] : []), ...batch.groupWrites.splice(0)];
}

/** Writes what is staged, before something else may read it (a reopen's or a notice's subscribers). */
export async function flushStaged(ctx: Ctx, batch: Attachments): Promise<void> {
  await runWrites(ctx.tx, takeStaged(batch));
}

export function queueAttach(
  batch: Attachments,
  incident: IncidentRow,
  row: AlertRow,
  groupKey: string,
): void {
  batch.groups.set(groupKey, incident);
  const p = batch.pending.get(incident.id);
  if (p) p.rows.push(row);
  else batch.pending.set(incident.id, { incident, rows: [row] });
}

/**
 * Links the queued alerts of one incident (or all), moves its detected-at to the earliest
 * signal, and writes the timeline entry. Runs before anything reads the links (a resolution
 * counting what still fires) and at the end of the transaction. The staged alert rows, their
 * links and the timeline line go in one statement (data-modifying `WITH` parts; the links'
 * foreign keys are checked at its end, when the rows are there): a round of new alerts waits
 * for each round trip.
 */
export async function flushAttachments(ctx: Ctx, batch: Attachments, incidentId?: string): Promise<void> {
  let staged = takeStaged(batch);
  const ids = incidentId ? [incidentId] : [...batch.pending.keys()];
  for (const id of ids) {
    const p = batch.pending.get(id);
    if (!p) continue;
    batch.pending.delete(id);
    const { incident, rows } = p;
    const links = linkRecords.select(
      rows.map((r) => ({ incidentId: incident.id, alertId: r.id, linkedAt: ctx.now })),
    );
    const linked = sql`INSERT INTO incident_alerts (${linkRecords.names}) ${links} ON CONFLICT DO NOTHING`;
    const leading = sql`WITH ${sql.join(writeClauses([...staged, linked]), sql`, `)}`;
    staged = [];
    // MTTD is measured from the signal: the earliest alert of the incident is when it was detected.
    const earliest = rows.reduce((min, r) => (r.startsAt < min ? r.startsAt : min), incident.detectedAt);
    if (earliest < incident.detectedAt) {
      await touch(ctx, incident.id, { detectedAt: earliest });
      incident.detectedAt = earliest;
    }
    await recordChanges(ctx, [firedLine(incident, rows)], leading);
  }
  await runWrites(ctx.tx, staged);
}

/** The one timeline line for a post's alerts joining an incident. */
function firedLine(incident: IncidentRow, rows: AlertRow[]): Change {
  const first = rows[0]!;
  const detail = (r: AlertRow) => ({
    alert_id: r.id,
    source: r.source,
    fingerprint: r.fingerprint,
    labels: r.labels,
    starts_at: r.startsAt.toISOString(),
  });
  if (rows.length === 1)
    return {
      incident,
      kind: 'alert_fired',
      text: `Alert fired: ${first.title} (${first.source})`,
      data: detail(first),
    };
  return {
    incident,
    kind: 'alert_fired',
    text: `${rows.length} alerts fired: ${first.title} (${first.source}) and ${rows.length - 1} more`,
    data: {
      count: rows.length,
      alert_ids: rows.map((r) => r.id),
      alerts: rows.slice(0, DETAILED).map(detail),
    },
  };
}

/** Forgets the groups that lead to this incident: its status changed, so the next alert decides again. */
export function forgetIncident(batch: Attachments, incidentId: string): void {
  for (const [key, inc] of batch.groups) if (inc.id === incidentId) batch.groups.delete(key);
}
