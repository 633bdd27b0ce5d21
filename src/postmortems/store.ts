import { and, asc, eq } from 'drizzle-orm';
import { users } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import { factsOf, loadBundles } from '../incidents/bundle.ts';
import { computeClocks } from '../incidents/clocks.ts';
import { formatNumber } from '../incidents/model.ts';
import { findIncident, type IncidentRow } from '../incidents/queries.ts';
import { incidentEvents, incidents } from '../incidents/tables.ts';
import { commanderRole, type Plan } from '../plans/index.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { NotFound } from '../shared/errors.ts';
import { type ActionItemLine, type DraftInput, documentBody, frontMatter } from './document.ts';
import { actionItems, postmortems } from './tables.ts';

export type PostmortemRow = typeof postmortems.$inferSelect;

/** Everything a draft is built from: the incident, its plan, its recorded events and its clocks. */
export async function draftInput(
  db: Db,
  inc: IncidentRow,
  publicUrl: string,
  now: Date,
): Promise<DraftInput> {
  const { plan } = await loadPlanVersion(db, inc.workspaceId, inc.planVersionId);
  const [b] = await loadBundles(db, eq(incidents.id, inc.id), { full: false });
  const events = await db
    .select({
      at: incidentEvents.at,
      kind: incidentEvents.kind,
      text: incidentEvents.text,
      data: incidentEvents.data,
    })
    .from(incidentEvents)
    .where(eq(incidentEvents.incidentId, inc.id))
    .orderBy(asc(incidentEvents.seq));
  const ic = commanderRole(plan);
  const commander = ic ? b!.roles.find((r) => r.role === ic.key)?.email : undefined;
  return {
    plan,
    incident: inc,
    events,
    clocks: computeClocks(plan, factsOf(b!), now),
    commander,
    publicUrl,
    now,
  };
}

export async function findPostmortem(db: Db, workspaceId: string, ref: string) {
  const inc = await findIncident(db, workspaceId, ref);
  const [pm] = await db.select().from(postmortems).where(eq(postmortems.incidentId, inc.id));
  if (!pm) throw new NotFound(`post-mortem of ${formatNumber(inc.number)}`);
  return { inc, pm };
}

export async function itemLines(db: Db, incidentId: string): Promise<ActionItemLine[]> {
  const rows = await db
    .select({
      number: actionItems.number,
      title: actionItems.title,
      ownerLabel: actionItems.ownerLabel,
      ownerEmail: users.email,
      dueOn: actionItems.dueOn,
      priority: actionItems.priority,
      status: actionItems.status,
      trackerUrl: actionItems.trackerUrl,
    })
    .from(actionItems)
    .leftJoin(users, eq(users.id, actionItems.ownerId))
    .where(eq(actionItems.incidentId, incidentId))
    .orderBy(asc(actionItems.number));
  return rows.map((r) => ({ ...r, owner: r.ownerLabel || r.ownerEmail || '' }));
}

async function emailOf(db: Db, id: string | null): Promise<string | undefined> {
  if (!id) return undefined;
  const [u] = await db.select({ email: users.email }).from(users).where(eq(users.id, id));
  return u?.email;
}

/** The exported file: YAML front matter for tools (static sites, search), then the document. */
export async function exportMarkdown(
  db: Db,
  plan: Plan,
  inc: IncidentRow,
  pm: PostmortemRow,
): Promise<string> {
  const items = await itemLines(db, inc.id);
  const reviewers = await Promise.all(pm.reviewers.map((r) => emailOf(db, r.user_id)));
  const meta = {
    incident: formatNumber(inc.number),
    title: pm.title,
    state: pm.state,
    severity: inc.severityKey,
    type: inc.typeKey,
    drill: inc.drill,
    detected_at: inc.detectedAt.toISOString(),
    resolved_at: inc.resolvedAt?.toISOString() ?? null,
    author: (await emailOf(db, pm.authorId)) ?? null,
    reviewers: reviewers.filter(Boolean),
    due_at: pm.dueAt?.toISOString() ?? null,
    published_at: pm.publishedAt?.toISOString() ?? null,
    root_causes: pm.rootCauses,
    action_items: items.length,
  };
  const doc = documentBody(plan.postmortem!, pm, items);
  return frontMatter(meta) + doc;
}

export async function listPostmortems(db: Db, workspaceId: string, state?: string) {
  const where = state
    ? and(eq(postmortems.workspaceId, workspaceId), eq(postmortems.state, state as PostmortemRow['state']))
    : eq(postmortems.workspaceId, workspaceId);
  return db
    .select({
      pm: postmortems,
      number: incidents.number,
      drill: incidents.drill,
      severity: incidents.severityKey,
    })
    .from(postmortems)
    .innerJoin(incidents, eq(incidents.id, postmortems.incidentId))
    .where(where)
    .orderBy(asc(incidents.number));
}
