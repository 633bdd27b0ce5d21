import { and, eq } from 'drizzle-orm';
import { formatNumber } from '../incidents/model.ts';
import { incidents, incidentUpdates } from '../incidents/tables.ts';
import type { Ctx } from '../kernel/verb.ts';
import { applies, pick, audience as planAudience } from '../plans/index.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { newId } from '../shared/ids.ts';
import { insertDeliveries, markUndeliverable, type NewDelivery } from './notifier.ts';
import {
  CONTACT_KINDS,
  type ContactKind,
  notifyChannelEndpoints,
  notifyNotices,
  type Undeliverable,
} from './tables.ts';

/**
 * An update posted to an audience goes to that audience's channels in the plan (the template's
 * channels when it names them). A drill goes only to a channel's drill_target; a channel
 * without one stays quiet for drills. The plan names channels; where they post (a webhook URL,
 * an address list) is configured per workspace, because plans are shared files and URLs are secrets.
 */
export async function deliverUpdate(ctx: Ctx, incidentId: string, updateId: string): Promise<void> {
  const [inc] = await ctx.tx.select().from(incidents).where(eq(incidents.id, incidentId));
  const [upd] = await ctx.tx.select().from(incidentUpdates).where(eq(incidentUpdates.id, updateId));
  if (!inc || !upd) return;
  const { plan } = await loadPlanVersion(ctx.tx, inc.workspaceId, inc.planVersionId);
  const aud = planAudience(plan, upd.audience);
  const template = plan.communications.templates.find((t) => t.key === upd.templateKey);
  const keys = template?.channels ?? aud?.channels ?? [];
  const ref = formatNumber(inc.number);
  const noticeId = newId();
  const [created] = await ctx.tx
    .insert(notifyNotices)
    .values({
      id: noticeId,
      workspaceId: inc.workspaceId,
      dedupKey: `update:${upd.id}`,
      kind: 'update',
      subject: upd.subject ?? `[${ref}] Update to ${upd.audience}: ${inc.title}`,
      body: upd.body.replaceAll('{{recipient.name}}', aud ? pick(aud.label, plan.language) : ''),
      incidentId: inc.id,
      drill: inc.drill,
      url: null,
      recipients: [],
      undeliverable: [],
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: notifyNotices.id });
  if (!created) return;
  const rows: NewDelivery[] = [];
  const skipped: Undeliverable[] = [];
  for (const key of keys) {
    const ch = plan.communications.channels.find((c) => c.key === key);
    const label = `channel ${key}`;
    if (!ch) continue;
    if (!applies(ch.applies_to, { severity: inc.severityKey, type: inc.typeKey, services: inc.services }))
      continue;
    if (!(CONTACT_KINDS as readonly string[]).includes(ch.type)) {
      // Status pages, meetings and documents are served by other modules or by people.
      skipped.push({ recipient: label, reason: `a ${ch.type} channel is not delivered by notify` });
      continue;
    }
    if (inc.drill && !ch.drill_target) {
      skipped.push({
        recipient: label,
        reason: 'a drill goes only to a drill_target, and this channel has none',
      });
      continue;
    }
    const [ep] = await ctx.tx
      .select()
      .from(notifyChannelEndpoints)
      .where(
        and(
          eq(notifyChannelEndpoints.workspaceId, inc.workspaceId),
          eq(notifyChannelEndpoints.channelKey, key),
          eq(notifyChannelEndpoints.drill, inc.drill),
        ),
      );
    if (!ep) {
      skipped.push({
        recipient: label,
        reason: `no ${inc.drill ? 'drill ' : ''}endpoint is configured (PUT /api/v1/notify/channels/${key})`,
      });
      continue;
    }
    for (const address of ep.kind === 'email' ? ep.address.split(/[,\s]+/).filter(Boolean) : [ep.address]) {
      rows.push({
        userId: null,
        contactId: null,
        channelKey: key,
        kind: ep.kind as ContactKind,
        address,
        secret: ep.secret,
        idempotencyKey: `${inc.id}:update:${upd.id}:${key}:${address}`,
        delayMs: 0,
        untilAck: false,
        actions: [],
      });
    }
  }
  await insertDeliveries(ctx, noticeId, rows);
  if (skipped.length > 0) await markUndeliverable(ctx, noticeId, skipped);
}
