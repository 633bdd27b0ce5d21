import { and, eq } from 'drizzle-orm';
import { incidents, incidentUpdates } from '../incidents/tables.ts';
import type { Ctx } from '../kernel/verb.ts';
import { audience as planAudience } from '../plans/index.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { impactOfRank, publicStatus, statusForImpact } from './model.ts';
import { changed, findPage, listComponents, type PageRow, setStatuses } from './pages.ts';
import type { MaintenanceInput, PublicIncidentInput, PublicUpdateInput } from './schemas.ts';
import {
  type AffectedComponent,
  type ComponentStatus,
  statusIncidents,
  statusIncidentUpdates,
  statusPages,
} from './tables.ts';

export const FANOUT_JOB = 'statuspage.fanout';
type StatusIncident = typeof statusIncidents.$inferSelect;

/** Appends one public update and asks for it to be delivered to the subscribers. */
async function addUpdate(
  ctx: Ctx,
  si: StatusIncident,
  u: { status: string; body: string; affected: AffectedComponent[]; sourceUpdateId?: string },
): Promise<string> {
  const id = newId();
  await ctx.tx.insert(statusIncidentUpdates).values({
    id,
    statusIncidentId: si.id,
    sourceUpdateId: u.sourceUpdateId ?? null,
    status: u.status,
    body: u.body,
    affectedComponents: u.affected,
    createdAt: ctx.now,
  });
  const done = u.status === 'resolved' || u.status === 'completed' || u.status === 'postmortem';
  const componentIds = [...new Set([...si.componentIds, ...u.affected.map((a) => a.code)])];
  await ctx.tx
    .update(statusIncidents)
    .set({
      status: u.status,
      updatedAt: ctx.now,
      componentIds,
      monitoringAt: u.status === 'monitoring' && !si.monitoringAt ? ctx.now : si.monitoringAt,
      resolvedAt: done ? (si.resolvedAt ?? ctx.now) : null,
    })
    .where(eq(statusIncidents.id, si.id));
  ctx.audit('statuspage.update_published', 'status_incident', si.id, { update_id: id, status: u.status });
  ctx.enqueue({ name: FANOUT_JOB, data: { updateId: id }, singletonKey: id });
  changed(ctx, si.pageId);
  return id;
}

/**
 * The pages an audience reaches: each statuspage channel of the audience (or of the template
 * used) names its page by host in `target`; a channel without a target means the workspace's
 * pages.
 */
async function pagesFor(ctx: Ctx, targets: (string | undefined)[]): Promise<PageRow[]> {
  const pages = await ctx.tx.select().from(statusPages).where(eq(statusPages.workspaceId, ctx.workspaceId));
  if (targets.some((t) => !t)) return pages;
  return pages.filter((p) => targets.some((t) => t === p.host || t === p.slug));
}

/** `incident.update_posted`: an update to an audience reached on a status page is published there. */
export async function onUpdatePosted(
  ctx: Ctx,
  event: { incidentId: string; updateId: string; audience: string },
) {
  const [inc] = await ctx.tx.select().from(incidents).where(eq(incidents.id, event.incidentId));
  // Drills exercise the response, never the public page.
  if (!inc || inc.drill) return;
  const [upd] = await ctx.tx.select().from(incidentUpdates).where(eq(incidentUpdates.id, event.updateId));
  if (!upd) return;
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  const aud = planAudience(plan, event.audience);
  if (!aud?.external) return;
  const template = plan.communications.templates.find((t) => t.key === upd.templateKey);
  const channelKeys = template?.channels ?? aud.channels ?? [];
  const channels = plan.communications.channels.filter(
    (c) => channelKeys.includes(c.key) && c.type === 'statuspage',
  );
  if (channels.length === 0) return;
  const impact = impactOfRank(inc.severityRank, plan.severities.length);
  const status = publicStatus(inc.status);
  const serviceComponents = new Map(plan.services.map((s) => [s.key, s.component]));
  for (const page of await pagesFor(
    ctx,
    channels.map((c) => c.target),
  )) {
    const comps = await listComponents(ctx.tx, page.id);
    const hit = comps.filter(
      (c) =>
        !c.isGroup &&
        inc.services.some((s) => c.serviceKey === s || (serviceComponents.get(s) ?? null) === c.name),
    );
    const to: Record<string, ComponentStatus> = {};
    for (const c of hit) to[c.id] = status === 'resolved' ? 'operational' : statusForImpact(impact);
    let [si] = await ctx.tx
      .select()
      .from(statusIncidents)
      .where(and(eq(statusIncidents.pageId, page.id), eq(statusIncidents.incidentId, inc.id)));
    if (!si) {
      si = {
        id: newId(),
        pageId: page.id,
        kind: 'incident',
        incidentId: inc.id,
        name: upd.subject?.trim() || inc.title,
        status,
        impact,
        componentIds: hit.map((c) => c.id),
        scheduledFor: null,
        scheduledUntil: null,
        startedAt: inc.detectedAt,
        monitoringAt: null,
        resolvedAt: null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      await ctx.tx.insert(statusIncidents).values(si);
    } else if (si.impact !== impact) {
      await ctx.tx.update(statusIncidents).set({ impact }).where(eq(statusIncidents.id, si.id));
    }
    const affected = await setStatuses(ctx, page.id, to);
    await addUpdate(ctx, si, { status, body: upd.body, affected, sourceUpdateId: upd.id });
  }
}

export async function createPublicIncident(ctx: Ctx, slug: string, input: PublicIncidentInput) {
  const page = await findPage(ctx.tx, ctx.workspaceId, slug);
  const si: StatusIncident = {
    id: newId(),
    pageId: page.id,
    kind: 'incident',
    incidentId: null,
    name: input.name,
    status: input.status,
    impact: input.impact,
    componentIds: [],
    scheduledFor: null,
    scheduledUntil: null,
    startedAt: ctx.now,
    monitoringAt: null,
    resolvedAt: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.tx.insert(statusIncidents).values(si);
  const affected = await setStatuses(ctx, page.id, input.components ?? {});
  await addUpdate(ctx, si, { status: input.status, body: input.body, affected });
  return si.id;
}

export async function createMaintenance(ctx: Ctx, slug: string, input: MaintenanceInput) {
  const page = await findPage(ctx.tx, ctx.workspaceId, slug);
  const known = new Set((await listComponents(ctx.tx, page.id)).map((c) => c.id));
  input.components.forEach((id, i) => {
    if (!known.has(id)) throw InvalidInput.field(`components[${i}]`, 'no such component on this page');
  });
  const si: StatusIncident = {
    id: newId(),
    pageId: page.id,
    kind: 'maintenance',
    incidentId: null,
    name: input.name,
    status: 'scheduled',
    impact: 'maintenance',
    componentIds: input.components,
    scheduledFor: input.scheduled_for,
    scheduledUntil: input.scheduled_until,
    startedAt: input.scheduled_for,
    monitoringAt: null,
    resolvedAt: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.tx.insert(statusIncidents).values(si);
  await addUpdate(ctx, si, { status: 'scheduled', body: input.body, affected: [] });
  return si.id;
}

/** An update written on the page by hand, to a public incident or a maintenance. */
export async function publishUpdate(ctx: Ctx, slug: string, id: string, input: PublicUpdateInput) {
  const page = await findPage(ctx.tx, ctx.workspaceId, slug);
  const [si] = await ctx.tx
    .select()
    .from(statusIncidents)
    .where(and(eq(statusIncidents.id, id), eq(statusIncidents.pageId, page.id)))
    .for('update');
  if (!si) throw new NotFound(`public incident ${id} on page "${slug}"`);
  const maintenance = ['scheduled', 'in_progress', 'verifying', 'completed'].includes(input.status);
  if (maintenance !== (si.kind === 'maintenance'))
    throw InvalidInput.field(
      'status',
      si.kind === 'maintenance'
        ? 'a maintenance is scheduled, in_progress, verifying or completed'
        : 'an incident is investigating, identified, monitoring, resolved or postmortem',
    );
  const affected = await setStatuses(ctx, page.id, input.components ?? {});
  return addUpdate(ctx, si, { status: input.status, body: input.body, affected });
}
