import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { newId, newSecret, sha256Hex } from '../shared/ids.ts';
import { findPage, listComponents, type PageRow } from './pages.ts';
import { statusDeliveries, statusSubscribers } from './tables.ts';

export const CONFIRM_JOB = 'statuspage.confirm';
export type SubscriberRow = typeof statusSubscribers.$inferSelect;

async function checkComponents(db: Db, page: PageRow, ids: string[]): Promise<void> {
  const known = new Set((await listComponents(db, page.id)).filter((c) => !c.isGroup).map((c) => c.id));
  ids.forEach((id, i) => {
    if (!known.has(id)) throw InvalidInput.field(`components[${i}]`, 'no such component on this page');
  });
}

/**
 * A visitor asks for e-mail updates. The answer never says whether the address was already
 * known; a confirmation mail goes out (again) unless it is confirmed. Audit records name the
 * subscriber by id only: the address is personal data and the audit chain cannot forget.
 */
export async function subscribeEmail(
  ctx: Ctx,
  page: PageRow,
  input: { email: string; components: string[] },
): Promise<void> {
  await checkComponents(ctx.tx, page, input.components);
  const address = input.email.trim().toLowerCase();
  const [existing] = await ctx.tx
    .select()
    .from(statusSubscribers)
    .where(
      and(
        eq(statusSubscribers.pageId, page.id),
        eq(statusSubscribers.kind, 'email'),
        eq(statusSubscribers.address, address),
      ),
    )
    .for('update');
  if (existing?.confirmedAt) return;
  const id = existing?.id ?? newId();
  if (existing) {
    await ctx.tx
      .update(statusSubscribers)
      .set({ componentIds: input.components })
      .where(eq(statusSubscribers.id, id));
  } else {
    await ctx.tx.insert(statusSubscribers).values({
      id,
      pageId: page.id,
      kind: 'email',
      address,
      componentIds: input.components,
      unsubscribeToken: newSecret('sps'),
      createdAt: ctx.now,
    });
    ctx.audit('statuspage.subscriber_added', 'status_subscriber', id, { kind: 'email', page: page.slug });
  }
  ctx.enqueue({ name: CONFIRM_JOB, data: { subscriberId: id }, singletonKey: id });
}

export async function confirmSubscription(ctx: Ctx, pageId: string, token: string): Promise<boolean> {
  const [s] = await ctx.tx
    .select()
    .from(statusSubscribers)
    .where(and(eq(statusSubscribers.pageId, pageId), eq(statusSubscribers.confirmHash, sha256Hex(token))));
  if (!s) return false;
  await ctx.tx
    .update(statusSubscribers)
    .set({ confirmedAt: s.confirmedAt ?? ctx.now, confirmHash: null })
    .where(eq(statusSubscribers.id, s.id));
  ctx.audit('statuspage.subscriber_confirmed', 'status_subscriber', s.id, {});
  return true;
}

/** One-click unsubscribe (RFC 8058): the subscriber and its delivery records are removed. */
export async function unsubscribe(ctx: Ctx, pageId: string, token: string): Promise<boolean> {
  const [s] = await ctx.tx
    .select()
    .from(statusSubscribers)
    .where(and(eq(statusSubscribers.pageId, pageId), eq(statusSubscribers.unsubscribeToken, token)));
  if (!s) return false;
  await ctx.tx.delete(statusSubscribers).where(eq(statusSubscribers.id, s.id));
  ctx.audit('statuspage.subscriber_removed', 'status_subscriber', s.id, { by: 'subscriber' });
  return true;
}

export async function addWebhookSubscriber(
  ctx: Ctx,
  slug: string,
  input: { url: string; components?: string[] },
) {
  const page = await findPage(ctx.tx, ctx.workspaceId, slug);
  await checkComponents(ctx.tx, page, input.components ?? []);
  const row = {
    id: newId(),
    pageId: page.id,
    kind: 'webhook' as const,
    address: input.url,
    componentIds: input.components ?? [],
    unsubscribeToken: newSecret('sps'),
    // Added by an admin, who is trusted with the target: no opt-in round trip.
    confirmedAt: ctx.now,
    createdAt: ctx.now,
  };
  await ctx.tx.insert(statusSubscribers).values(row).onConflictDoNothing();
  ctx.audit('statuspage.subscriber_added', 'status_subscriber', row.id, { kind: 'webhook', page: slug });
  return row;
}

export type SubscriberView = {
  id: string;
  kind: 'email' | 'webhook';
  address: string;
  components: string[];
  confirmed_at: string | null;
  created_at: string;
  failures: number;
  last_error: string | null;
  bounced_at: string | null;
  deliveries: { sent: number; failed: number; pending: number };
};

/** Every subscriber of a page with what was delivered to them: the admin's export. */
export async function exportSubscribers(
  db: Db,
  workspaceId: string,
  slug: string,
): Promise<SubscriberView[]> {
  const page = await findPage(db, workspaceId, slug);
  const subs = await db
    .select()
    .from(statusSubscribers)
    .where(eq(statusSubscribers.pageId, page.id))
    .orderBy(asc(statusSubscribers.createdAt));
  const dels = await db
    .select({ subscriberId: statusDeliveries.subscriberId, state: statusDeliveries.state })
    .from(statusDeliveries)
    .innerJoin(statusSubscribers, eq(statusSubscribers.id, statusDeliveries.subscriberId))
    .where(eq(statusSubscribers.pageId, page.id));
  return subs.map((s) => {
    const mine = dels.filter((d) => d.subscriberId === s.id);
    const count = (st: string) => mine.filter((d) => d.state === st).length;
    return {
      id: s.id,
      kind: s.kind,
      address: s.address,
      components: s.componentIds,
      confirmed_at: s.confirmedAt?.toISOString() ?? null,
      created_at: s.createdAt.toISOString(),
      failures: s.failures,
      last_error: s.lastError,
      bounced_at: s.bouncedAt?.toISOString() ?? null,
      deliveries: {
        sent: count('sent'),
        failed: count('failed'),
        pending: count('pending') + count('sending'),
      },
    };
  });
}

export async function deleteSubscriber(ctx: Ctx, slug: string, id: string): Promise<void> {
  const page = await findPage(ctx.tx, ctx.workspaceId, slug);
  const gone = await ctx.tx
    .delete(statusSubscribers)
    .where(and(eq(statusSubscribers.id, id), eq(statusSubscribers.pageId, page.id)))
    .returning({ id: statusSubscribers.id });
  if (gone.length === 0) throw new NotFound(`subscriber ${id}`);
  ctx.audit('statuspage.subscriber_removed', 'status_subscriber', id, { by: 'admin' });
}
