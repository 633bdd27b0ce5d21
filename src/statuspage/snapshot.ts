import { and, asc, desc, eq, gte, inArray, isNull, or } from 'drizzle-orm';
import type { Database, Db } from '../db/client.ts';
import { maintenanceStatus } from './model.ts';
import {
  type AffectedComponent,
  type ComponentStatus,
  statusComponentChanges,
  statusComponents,
  statusIncidents,
  statusIncidentUpdates,
  statusPages,
} from './tables.ts';
import { type DailyChecks, dayStart, type UptimeDay, uptimeDays } from './uptime.ts';

export type PageRow = typeof statusPages.$inferSelect;
export type ComponentModel = typeof statusComponents.$inferSelect & { uptime: UptimeDay[] };
export type UpdateModel = {
  id: string;
  status: string;
  body: string;
  createdAt: Date;
  affected: AffectedComponent[];
};
export type IncidentModel = typeof statusIncidents.$inferSelect & { updates: UpdateModel[] };

/** Everything a page shows, read once; every rendering of the page is computed from this. */
export type PageModel = {
  page: PageRow;
  url: string;
  components: ComponentModel[];
  incidents: IncidentModel[];
  maintenances: IncidentModel[];
  builtAt: Date;
};

export const UPTIME_DAYS = 90;
const HISTORY_DAYS = 365;
const DAY = 86_400_000;

export function pageUrl(page: PageRow, publicUrl: string): string {
  return page.host ? `https://${page.host}` : `${publicUrl.replace(/\/$/, '')}/status/${page.slug}`;
}

/** Daily check counts of the monitors attached to these components, for the uptime bars. */
async function dailyChecks(database: Database, componentIds: string[], since: Date) {
  if (componentIds.length === 0) return new Map<string, DailyChecks[]>();
  const rows = await database.query<{ component_id: string; d: number; total: number; failed: number }>(
    `SELECT m.component_id, floor(extract(epoch FROM r.at) / 86400)::int AS d,
            count(*)::int AS total, (count(*) FILTER (WHERE NOT r.ok))::int AS failed
       FROM monitor_results r JOIN monitors m ON m.id = r.monitor_id
      WHERE m.component_id = ANY($1::uuid[]) AND r.at >= $2
      GROUP BY 1, 2`,
    [componentIds, since.toISOString()],
  );
  const out = new Map<string, DailyChecks[]>();
  for (const r of rows) {
    const list = out.get(r.component_id) ?? [];
    list.push({ day: Number(r.d) * DAY, total: Number(r.total), failed: Number(r.failed) });
    out.set(r.component_id, list);
  }
  return out;
}

async function withUpdates(db: Db, rows: (typeof statusIncidents.$inferSelect)[]): Promise<IncidentModel[]> {
  if (rows.length === 0) return [];
  const ups = await db
    .select()
    .from(statusIncidentUpdates)
    .where(
      inArray(
        statusIncidentUpdates.statusIncidentId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(desc(statusIncidentUpdates.createdAt), desc(statusIncidentUpdates.seq));
  return rows.map((r) => ({
    ...r,
    updates: ups
      .filter((u) => u.statusIncidentId === r.id)
      .map((u) => ({
        id: u.id,
        status: u.status,
        body: u.body,
        createdAt: u.createdAt,
        affected: u.affectedComponents,
      })),
  }));
}

export async function loadPageModel(
  database: Database,
  pageId: string,
  now: Date,
  publicUrl: string,
): Promise<PageModel | null> {
  const db = database.db;
  const [page] = await db.select().from(statusPages).where(eq(statusPages.id, pageId));
  if (!page) return null;
  const comps = await db
    .select()
    .from(statusComponents)
    .where(eq(statusComponents.pageId, pageId))
    .orderBy(asc(statusComponents.position), asc(statusComponents.name));
  const windowStart = new Date(dayStart(now.getTime()) - (UPTIME_DAYS - 1) * DAY);
  const ids = comps.map((c) => c.id);
  const changes =
    ids.length === 0
      ? []
      : await db
          .select()
          .from(statusComponentChanges)
          .where(inArray(statusComponentChanges.componentId, ids))
          .orderBy(asc(statusComponentChanges.at));
  const checks = await dailyChecks(database, ids, windowStart);
  const components = comps.map((c) => ({
    ...c,
    uptime: uptimeDays({
      end: now,
      days: UPTIME_DAYS,
      createdAt: c.createdAt,
      changes: changes
        .filter((x) => x.componentId === c.id)
        .map((x) => ({ at: x.at, status: x.status as ComponentStatus })),
      checks: checks.get(c.id) ?? [],
    }),
  }));
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY);
  const incidents = await db
    .select()
    .from(statusIncidents)
    .where(
      and(
        eq(statusIncidents.pageId, pageId),
        eq(statusIncidents.kind, 'incident'),
        or(gte(statusIncidents.startedAt, since), isNull(statusIncidents.resolvedAt)),
      ),
    )
    .orderBy(desc(statusIncidents.startedAt))
    .limit(200);
  const maint = await db
    .select()
    .from(statusIncidents)
    .where(
      and(
        eq(statusIncidents.pageId, pageId),
        eq(statusIncidents.kind, 'maintenance'),
        or(gte(statusIncidents.scheduledUntil, since), isNull(statusIncidents.resolvedAt)),
      ),
    )
    .orderBy(desc(statusIncidents.scheduledFor))
    .limit(100);
  // A window's status follows the clock (scheduled → in progress → completed) without anyone
  // touching it; the page is rebuilt periodically so these transitions show.
  const maintenances = (await withUpdates(db, maint)).map((m) => ({
    ...m,
    status: maintenanceStatus(now, {
      scheduledFor: m.scheduledFor!,
      scheduledUntil: m.scheduledUntil!,
      status: m.status,
    }),
  }));
  return {
    page,
    url: pageUrl(page, publicUrl),
    components,
    incidents: await withUpdates(db, incidents),
    maintenances,
    builtAt: now,
  };
}

/** The components a maintenance in progress covers show as under maintenance. */
export function effectiveStatus(m: PageModel, c: ComponentModel): ComponentStatus {
  if (c.status !== 'operational') return c.status;
  const inMaintenance = m.maintenances.some(
    (w) => (w.status === 'in_progress' || w.status === 'verifying') && w.componentIds.includes(c.id),
  );
  return inMaintenance ? 'under_maintenance' : c.status;
}
