import { and, asc, eq, max } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import { loadActivePlan } from '../plans/store.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import { newId, sha256Hex } from '../shared/ids.ts';
import { STATUSPAGE_CHANGED, STATUSPAGE_PAGES } from './cache.ts';
import type { ComponentInput, ComponentPatch, PageInput, PagePatch } from './schemas.ts';
import {
  type AffectedComponent,
  type ComponentStatus,
  statusComponentChanges,
  statusComponents,
  statusPages,
} from './tables.ts';

export type PageRow = typeof statusPages.$inferSelect;
export type ComponentRow = typeof statusComponents.$inferSelect;

export async function findPage(db: Db, workspaceId: string, slug: string): Promise<PageRow> {
  const [p] = await db
    .select()
    .from(statusPages)
    .where(and(eq(statusPages.slug, slug), eq(statusPages.workspaceId, workspaceId)));
  if (!p) throw new NotFound(`status page "${slug}"`);
  return p;
}

export async function listPages(db: Db, workspaceId: string): Promise<PageRow[]> {
  return db
    .select()
    .from(statusPages)
    .where(eq(statusPages.workspaceId, workspaceId))
    .orderBy(asc(statusPages.slug));
}

export async function listComponents(db: Db, pageId: string): Promise<ComponentRow[]> {
  return db
    .select()
    .from(statusComponents)
    .where(eq(statusComponents.pageId, pageId))
    .orderBy(asc(statusComponents.position), asc(statusComponents.name));
}

function unique(err: unknown, what: string): never {
  const code =
    (err as { code?: string; cause?: { code?: string } }).code ??
    (err as { cause?: { code?: string } }).cause?.code;
  if (code === '23505') throw new Conflict(what);
  throw err;
}

export const changed = (ctx: Ctx, pageId: string) => ctx.publish({ type: STATUSPAGE_CHANGED, id: pageId });

export async function createPage(ctx: Ctx, input: PageInput): Promise<PageRow> {
  const row = {
    id: newId(),
    workspaceId: ctx.workspaceId,
    slug: input.slug,
    name: input.name,
    host: input.host ?? null,
    timeZone: input.time_zone ?? 'Etc/UTC',
    language: input.language ?? 'en',
    secretHash: input.secret ? sha256Hex(input.secret) : null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  // A savepoint, so a taken slug or host is a clean 409 rather than an aborted transaction.
  await ctx.tx
    .transaction((t) => t.insert(statusPages).values(row))
    .catch((e) => unique(e, `the slug "${input.slug}" or host is already taken`));
  ctx.audit('statuspage.page_created', 'status_page', row.id, {
    slug: row.slug,
    host: row.host,
    private: !!row.secretHash,
  });
  ctx.publish({ type: STATUSPAGE_PAGES, id: row.id });
  return row;
}

export async function updatePage(ctx: Ctx, slug: string, patch: PagePatch): Promise<PageRow> {
  const page = await findPage(ctx.tx, ctx.workspaceId, slug);
  const set: Partial<PageRow> = { updatedAt: ctx.now };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.host !== undefined) set.host = patch.host;
  if (patch.time_zone !== undefined) set.timeZone = patch.time_zone;
  if (patch.language !== undefined) set.language = patch.language;
  if (patch.secret !== undefined) set.secretHash = patch.secret ? sha256Hex(patch.secret) : null;
  const [row] = await ctx.tx
    .transaction((t) => t.update(statusPages).set(set).where(eq(statusPages.id, page.id)).returning())
    .catch((e) => unique(e, 'that host is already taken'));
  const { secretHash: _s, ...shown } = set;
  ctx.audit('statuspage.page_updated', 'status_page', page.id, {
    ...shown,
    ...(patch.secret !== undefined ? { private: !!patch.secret } : {}),
  });
  ctx.publish({ type: STATUSPAGE_PAGES, id: page.id });
  return row!;
}

async function checkGroup(ctx: Ctx, pageId: string, groupId: string | null | undefined, self?: string) {
  if (!groupId) return;
  const [g] = await ctx.tx.select().from(statusComponents).where(eq(statusComponents.id, groupId));
  if (!g || g.pageId !== pageId || !g.isGroup || g.id === self)
    throw InvalidInput.field('group_id', 'not a component group of this page');
}

async function checkService(ctx: Ctx, service: string | null | undefined) {
  if (!service) return;
  const active = await loadActivePlan(ctx.tx, ctx.workspaceId);
  if (active && !active.plan.services.some((s) => s.key === service))
    throw InvalidInput.field('service', `the active plan has no service "${service}"`);
}

export async function createComponent(ctx: Ctx, slug: string, input: ComponentInput): Promise<ComponentRow> {
  const page = await findPage(ctx.tx, ctx.workspaceId, slug);
  await checkGroup(ctx, page.id, input.group_id);
  await checkService(ctx, input.service);
  const [{ top } = { top: null }] = await ctx.tx
    .select({ top: max(statusComponents.position) })
    .from(statusComponents)
    .where(eq(statusComponents.pageId, page.id));
  const row = {
    id: newId(),
    pageId: page.id,
    groupId: input.group_id ?? null,
    isGroup: input.group ?? false,
    name: input.name,
    description: input.description ?? null,
    position: input.position ?? (top ?? 0) + 1,
    serviceKey: input.service ?? null,
    status: input.status ?? 'operational',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  } satisfies ComponentRow;
  await ctx.tx
    .transaction((t) => t.insert(statusComponents).values(row))
    .catch((e) => unique(e, `the page already has a component named "${input.name}"`));
  await ctx.tx
    .insert(statusComponentChanges)
    .values({ componentId: row.id, at: ctx.now, status: row.status });
  ctx.audit('statuspage.component_created', 'status_component', row.id, { page: slug, name: row.name });
  changed(ctx, page.id);
  return row;
}

export async function findComponent(ctx: Ctx, page: PageRow, id: string): Promise<ComponentRow> {
  const [c] = await ctx.tx
    .select()
    .from(statusComponents)
    .where(and(eq(statusComponents.id, id), eq(statusComponents.pageId, page.id)));
  if (!c) throw new NotFound(`component ${id} on page "${page.slug}"`);
  return c;
}

export async function updateComponent(ctx: Ctx, slug: string, id: string, patch: ComponentPatch) {
  const page = await findPage(ctx.tx, ctx.workspaceId, slug);
  const c = await findComponent(ctx, page, id);
  await checkGroup(ctx, page.id, patch.group_id, c.id);
  await checkService(ctx, patch.service);
  const set: Partial<ComponentRow> = { updatedAt: ctx.now };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.group_id !== undefined) set.groupId = patch.group_id;
  if (patch.position !== undefined) set.position = patch.position;
  if (patch.service !== undefined) set.serviceKey = patch.service;
  await ctx.tx
    .transaction((t) => t.update(statusComponents).set(set).where(eq(statusComponents.id, c.id)))
    .catch((e) => unique(e, `the page already has a component named "${patch.name}"`));
  if (patch.status && patch.status !== c.status) await setStatuses(ctx, page.id, { [c.id]: patch.status });
  ctx.audit('statuspage.component_updated', 'status_component', c.id, { ...patch });
  changed(ctx, page.id);
  return findComponent(ctx, page, c.id);
}

/** Sets component statuses, keeping their history; answers what changed as Statuspage lists it. */
export async function setStatuses(
  ctx: Ctx,
  pageId: string,
  to: Record<string, ComponentStatus>,
): Promise<AffectedComponent[]> {
  const out: AffectedComponent[] = [];
  for (const [id, status] of Object.entries(to)) {
    const [c] = await ctx.tx
      .select()
      .from(statusComponents)
      .where(and(eq(statusComponents.id, id), eq(statusComponents.pageId, pageId)))
      .for('update');
    if (!c) throw InvalidInput.field(`components.${id}`, 'no such component on this page');
    if (c.isGroup) throw InvalidInput.field(`components.${id}`, 'a group has no status of its own');
    out.push({ code: c.id, name: c.name, old_status: c.status, new_status: status });
    if (c.status === status) continue;
    await ctx.tx
      .update(statusComponents)
      .set({ status, updatedAt: ctx.now })
      .where(eq(statusComponents.id, id));
    await ctx.tx.insert(statusComponentChanges).values({ componentId: id, at: ctx.now, status });
    ctx.audit('statuspage.component_status', 'status_component', id, { from: c.status, to: status });
  }
  changed(ctx, pageId);
  return out;
}
