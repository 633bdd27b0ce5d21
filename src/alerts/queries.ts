import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { findIncident } from '../incidents/queries.ts';
import { NotFound } from '../shared/errors.ts';
import { UUID_RE } from '../shared/ids.ts';
import type { AlertRow } from './ingest.ts';
import { alerts, incidentAlerts } from './tables.ts';

export async function listAlerts(
  db: Db,
  workspaceId: string,
  q: { status?: 'firing' | 'resolved'; limit: number },
): Promise<AlertRow[]> {
  return db
    .select()
    .from(alerts)
    .where(and(eq(alerts.workspaceId, workspaceId), q.status ? eq(alerts.status, q.status) : undefined))
    .orderBy(desc(alerts.firstSeenAt), desc(alerts.id))
    .limit(q.limit);
}

export async function findAlert(db: Db, workspaceId: string, id: string): Promise<AlertRow> {
  if (!UUID_RE.test(id)) throw new NotFound(`alert ${id}`);
  const [row] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.workspaceId, workspaceId), eq(alerts.id, id)));
  if (!row) throw new NotFound(`alert ${id}`);
  return row;
}

/** Every alert ever linked to the incident, earliest first. */
export async function incidentAlertList(db: Db, workspaceId: string, ref: string): Promise<AlertRow[]> {
  const inc = await findIncident(db, workspaceId, ref);
  const rows = await db
    .select({ a: alerts })
    .from(incidentAlerts)
    .innerJoin(alerts, eq(alerts.id, incidentAlerts.alertId))
    .where(eq(incidentAlerts.incidentId, inc.id))
    .orderBy(incidentAlerts.linkedAt, alerts.id);
  return rows.map((r) => r.a);
}
