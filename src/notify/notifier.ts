import { and, asc, countDistinct, eq, gte, inArray, isNull, ne } from 'drizzle-orm';
import type { Notice, Notifier } from '../kernel/ports.ts';
import type { Ctx } from '../kernel/verb.ts';
import { newId } from '../shared/ids.ts';
import { createLinks } from './links.ts';
import { resolveRecipients } from './recipients.ts';
import type { NotifySettings } from './settings.ts';
import {
  type ContactKind,
  notifyContacts,
  notifyDeliveries,
  notifyNotices,
  notifyRules,
  type Undeliverable,
} from './tables.ts';

export const DELIVER_JOB = 'notify.deliver';

export type NewDelivery = {
  userId: string | null;
  contactId: string | null;
  channelKey: string | null;
  kind: ContactKind;
  address: string;
  secret: string | null;
  idempotencyKey: string;
  delayMs: number;
  untilAck: boolean;
  actions: { label: string; url: string }[];
  held?: boolean;
  summary?: boolean;
};

/** Inserts deliveries and their wake-up jobs; a key seen before is left as it is. */
export async function insertDeliveries(ctx: Ctx, noticeId: string, rows: NewDelivery[]): Promise<string[]> {
  const ids: string[] = [];
  for (const r of rows) {
    const dueAt = new Date(ctx.now.getTime() + r.delayMs);
    const [row] = await ctx.tx
      .insert(notifyDeliveries)
      .values({
        id: newId(),
        workspaceId: ctx.workspaceId,
        noticeId,
        userId: r.userId,
        contactId: r.contactId,
        channelKey: r.channelKey,
        kind: r.kind,
        address: r.address,
        secret: r.secret,
        idempotencyKey: r.idempotencyKey,
        state: r.held ? 'held' : 'pending',
        dueAt,
        untilAck: r.untilAck,
        actions: r.actions,
        summaryOf: r.summary ? [] : null,
        createdAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning({ id: notifyDeliveries.id });
    if (!row) continue;
    ids.push(row.id);
    if (!r.held) {
      ctx.enqueue({
        name: DELIVER_JOB,
        data: { id: row.id },
        startAfter: dueAt,
        singletonKey: `d:${row.id}:0`,
      });
    }
  }
  return ids;
}

/** A person's rules; someone with contact methods but no rules is reached on all of them at once. */
async function routesOf(ctx: Ctx, userId: string) {
  const contacts = await ctx.tx
    .select()
    .from(notifyContacts)
    .where(and(eq(notifyContacts.workspaceId, ctx.workspaceId), eq(notifyContacts.userId, userId)))
    .orderBy(asc(notifyContacts.createdAt));
  const rules = await ctx.tx
    .select()
    .from(notifyRules)
    .where(and(eq(notifyRules.workspaceId, ctx.workspaceId), eq(notifyRules.userId, userId)))
    .orderBy(asc(notifyRules.delaySeconds));
  if (rules.length === 0) return contacts.map((c) => ({ contact: c, delayMs: 0 }));
  const byId = new Map(contacts.map((c) => [c.id, c]));
  return rules.flatMap((r) => {
    const c = byId.get(r.contactId);
    return c ? [{ contact: c, delayMs: r.delaySeconds * 1000 }] : [];
  });
}

/** How many other notices reached this person within the storm window. */
async function recentNotices(ctx: Ctx, userId: string, noticeId: string, windowMs: number): Promise<number> {
  const [row] = await ctx.tx
    .select({ n: countDistinct(notifyDeliveries.noticeId) })
    .from(notifyDeliveries)
    .where(
      and(
        eq(notifyDeliveries.workspaceId, ctx.workspaceId),
        eq(notifyDeliveries.userId, userId),
        ne(notifyDeliveries.noticeId, noticeId),
        isNull(notifyDeliveries.summaryOf),
        gte(notifyDeliveries.createdAt, new Date(ctx.now.getTime() - windowMs)),
        inArray(notifyDeliveries.state, ['pending', 'sending', 'sent', 'failed', 'held', 'folded']),
      ),
    );
  return row?.n ?? 0;
}

/**
 * Records a notice and plans its deliveries in the caller's transaction. The dedup key makes a
 * repeated notify a no-op; each (notice, contact method, delay) is one delivery row.
 */
export async function notify(ctx: Ctx, s: NotifySettings, notice: Notice): Promise<string | null> {
  const noticeId = newId();
  const [created] = await ctx.tx
    .insert(notifyNotices)
    .values({
      id: noticeId,
      workspaceId: ctx.workspaceId,
      dedupKey: notice.dedupKey,
      kind: notice.kind,
      subject: notice.subject,
      body: notice.text,
      incidentId: notice.incidentId ?? null,
      drill: notice.drill ?? false,
      url: notice.url ?? null,
      recipients: notice.to,
      undeliverable: [],
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: notifyNotices.id });
  if (!created) return null;
  const { userIds, undeliverable } = await resolveRecipients(ctx, notice.to);
  const rows: NewDelivery[] = [];
  for (const userId of userIds) {
    const routes = await routesOf(ctx, userId);
    if (routes.length === 0) {
      undeliverable.push({ recipient: `user ${userId}`, reason: 'has no contact methods' });
      continue;
    }
    const actions = notice.incidentId
      ? await createLinks(ctx.tx, {
          workspaceId: ctx.workspaceId,
          incidentId: notice.incidentId,
          userId,
          now: ctx.now,
          ttlMs: s.linkTtlMs,
          publicUrl: ctx.env.publicUrl,
        })
      : [];
    if (notice.url) actions.push({ label: 'Open', url: notice.url });
    const stormy = (await recentNotices(ctx, userId, noticeId, s.storm.windowMs)) >= s.storm.limit;
    const step = `${notice.incidentId ?? '-'}:${notice.dedupKey}`;
    // In a storm the immediate routes hold the message for the summary; later ones are dropped.
    for (const r of stormy ? routes.filter((x) => x.delayMs === 0) : routes) {
      rows.push({
        userId,
        contactId: r.contact.id,
        channelKey: null,
        kind: r.contact.kind,
        address: r.contact.address,
        secret: r.contact.secret,
        idempotencyKey: `${step}:${r.contact.id}${r.delayMs > 0 ? `:+${r.delayMs / 1000}s` : ''}`,
        delayMs: r.delayMs,
        untilAck: r.delayMs > 0 && notice.incidentId !== undefined,
        actions,
        held: stormy,
      });
    }
    if (stormy) rows.push(...summaryRows(ctx, s, userId, routes));
  }
  await insertDeliveries(ctx, noticeId, rows);
  if (undeliverable.length > 0) await markUndeliverable(ctx, noticeId, undeliverable);
  return noticeId;
}

/** One summary per person, contact method and storm window, sent when the window closes. */
function summaryRows(
  ctx: Ctx,
  s: NotifySettings,
  userId: string,
  routes: Awaited<ReturnType<typeof routesOf>>,
): NewDelivery[] {
  const bucket = Math.floor(ctx.now.getTime() / s.storm.windowMs) * s.storm.windowMs;
  const closes = bucket + s.storm.windowMs;
  return routes
    .filter((r) => r.delayMs === 0)
    .map((r) => ({
      userId,
      contactId: r.contact.id,
      channelKey: null,
      kind: r.contact.kind,
      address: r.contact.address,
      secret: r.contact.secret,
      idempotencyKey: `storm:${userId}:${new Date(bucket).toISOString()}:${r.contact.id}`,
      delayMs: closes - ctx.now.getTime(),
      untilAck: false,
      actions: [],
      summary: true,
    }));
}

export async function markUndeliverable(ctx: Ctx, noticeId: string, list: Undeliverable[]): Promise<void> {
  await ctx.tx.update(notifyNotices).set({ undeliverable: list }).where(eq(notifyNotices.id, noticeId));
  ctx.audit('notify.undeliverable', 'notice', noticeId, { undeliverable: list });
}

export function notifierFor(s: NotifySettings): Notifier {
  return {
    async notify(ctx, notice) {
      await notify(ctx, s, notice);
    },
  };
}
