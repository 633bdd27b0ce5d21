import { INDICATOR_TEXT, MAINTENANCE_TEXT, overall } from './model.ts';
import { type ComponentModel, effectiveStatus, type IncidentModel, type PageModel } from './snapshot.ts';

/**
 * The Atlassian Statuspage API v2 documents, field for field, so existing widgets and readers
 * work against a Siaga page. Only what was published appears here.
 */
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function pageJson(m: PageModel) {
  return {
    id: m.page.id,
    name: m.page.name,
    url: m.url,
    time_zone: m.page.timeZone,
    updated_at: iso(m.builtAt),
  };
}

export function componentJson(m: PageModel, c: ComponentModel) {
  return {
    id: c.id,
    name: c.name,
    status: effectiveStatus(m, c),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    position: c.position,
    description: c.description,
    showcase: !c.isGroup,
    start_date: iso(c.createdAt)!.slice(0, 10),
    group_id: c.groupId,
    page_id: m.page.id,
    group: c.isGroup,
    only_show_if_degraded: false,
    ...(c.isGroup ? { components: m.components.filter((x) => x.groupId === c.id).map((x) => x.id) } : {}),
  };
}

function incidentJson(m: PageModel, i: IncidentModel) {
  return {
    id: i.id,
    name: i.name,
    status: i.status,
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    monitoring_at: iso(i.monitoringAt),
    resolved_at: iso(i.resolvedAt),
    impact: i.impact,
    shortlink: `${m.url}/incidents/${i.id}`,
    started_at: iso(i.startedAt),
    page_id: m.page.id,
    incident_updates: i.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: i.id,
      created_at: iso(u.createdAt),
      updated_at: iso(u.createdAt),
      display_at: iso(u.createdAt),
      affected_components: u.affected.length > 0 ? u.affected : null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: m.components.filter((c) => i.componentIds.includes(c.id)).map((c) => componentJson(m, c)),
    ...(i.kind === 'maintenance'
      ? { scheduled_for: iso(i.scheduledFor), scheduled_until: iso(i.scheduledUntil) }
      : {}),
  };
}

export function statusJson(m: PageModel) {
  const o = overall(
    m.components.filter((c) => !c.isGroup).map((c) => effectiveStatus(m, c)),
    m.incidents.filter((i) => !i.resolvedAt).map((i) => i.impact),
  );
  return {
    indicator: o.indicator,
    description: o.maintenance ? MAINTENANCE_TEXT.en : INDICATOR_TEXT[o.indicator].en,
  };
}

export const unresolved = (m: PageModel) =>
  m.incidents.filter((i) => i.status !== 'resolved' && i.status !== 'postmortem');
export const upcoming = (m: PageModel) => m.maintenances.filter((w) => w.status === 'scheduled');
export const active = (m: PageModel) =>
  m.maintenances.filter((w) => w.status === 'in_progress' || w.status === 'verifying');

/** Every v2 document by its path under api/v2/. */
export function v2Documents(m: PageModel): Record<string, unknown> {
  const page = pageJson(m);
  const components = m.components.map((c) => componentJson(m, c));
  const inc = (list: IncidentModel[]) => list.map((i) => incidentJson(m, i));
  return {
    'summary.json': {
      page,
      components,
      incidents: inc(unresolved(m)),
      scheduled_maintenances: inc([...active(m), ...upcoming(m)]),
      status: statusJson(m),
    },
    'status.json': { page, status: statusJson(m) },
    'components.json': { page, components },
    'incidents.json': { page, incidents: inc(m.incidents.slice(0, 50)) },
    'incidents/unresolved.json': { page, incidents: inc(unresolved(m)) },
    'scheduled-maintenances.json': { page, scheduled_maintenances: inc(m.maintenances.slice(0, 50)) },
    'scheduled-maintenances/upcoming.json': { page, scheduled_maintenances: inc(upcoming(m)) },
    'scheduled-maintenances/active.json': { page, scheduled_maintenances: inc(active(m)) },
  };
}

export const V2_NAMES = new Set([
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
]);
