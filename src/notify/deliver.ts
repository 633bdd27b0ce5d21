import { and, asc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { incidents } from '../incidents/tables.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { newId } from '../shared/ids.ts';
import { TRANSPORTS } from './channels/index.ts';
import type { Message, SendResult } from './channels/message.ts';
import { DELIVER_JOB } from './notifier.ts';
import { channelSettings, type NotifySettings } from './settings.ts';
import { notifyAttempts, notifyDeliveries, notifyNotices } from './tables.ts';

type Delivery = typeof notifyDeliveries.$inferSelect;
export type Claim = { delivery: Delivery; token: string; message: Message } | { skipped: string } | null;

/**
 * Takes a due delivery for one attempt: sets a fresh lease token and records the attempt as in
 * flight, then commits, before anything is sent. Another worker (a duplicate job, a second
 * process, the auditor after a crash) finds the row leased and does nothing until the lease ends.
 */
export async function claimDelivery(env: Env, s: NotifySettings, id: string): Promise<Claim> {
  return env.database.db.transaction(async (tx) => {
    const now = env.clock.now();
    const token = newId();
    const [d] = await tx
      .update(notifyDeliveries)
      .set({
        state: 'sending',
        leaseToken: token,
        leaseUntil: new Date(now.getTime() + s.leaseMs),
        attempts: sql`${notifyDeliveries.attempts} + 1`,
      })
      .where(
        and(
          eq(notifyDeliveries.id, id),
          sql`${notifyDeliveries.dueAt} <= ${now}`,
          or(
            eq(notifyDeliveries.state, 'pending'),
            and(eq(notifyDeliveries.state, 'sending'), lt(notifyDeliveries.leaseUntil, now)),
          ),
        ),
      )
      .returning();
    if (!d) return null;
    // A lease taken over means its holder died mid-attempt: that attempt's outcome is unknown.
    await tx
      .update(notifyAttempts)
      .set({ outcome: 'failed', finishedAt: now, error: 'lease expired before the outcome was recorded' })
      .where(and(eq(notifyAttempts.deliveryId, d.id), eq(notifyAttempts.outcome, 'in_flight')));
    const [notice] = await tx.select().from(notifyNotices).where(eq(notifyNotices.id, d.noticeId));
    if (d.untilAck && notice?.incidentId) {
      const [inc] = await tx
        .select({ ackAt: incidents.acknowledgedAt, resolvedAt: incidents.resolvedAt })
        .from(incidents)
        .where(eq(incidents.id, notice.incidentId));
      if (inc?.ackAt || inc?.resolvedAt) {
        const reason = inc.ackAt
          ? 'acknowledged before this rule came due'
          : 'resolved before this rule came due';
        await tx
          .update(notifyDeliveries)
          .set({ state: 'skipped', reason, leaseToken: null, leaseUntil: null })
          .where(eq(notifyDeliveries.id, d.id));
        return { skipped: reason };
      }
    }
    let subject = notice!.subject;
    let text = notice!.body;
    if (d.summaryOf) {
      const folded = await foldHeld(tx, d, now, s.storm.windowMs);
      if (folded.length === 0) {
        await tx
          .update(notifyDeliveries)
          .set({ state: 'skipped', reason: 'nothing was held back', leaseToken: null, leaseUntil: null })
          .where(eq(notifyDeliveries.id, d.id));
        return { skipped: 'nothing was held back' };
      }
      subject = `${folded.length} more notifications held back`;
      text = [
        `To keep your phone usable, ${folded.length} notifications in the last window were folded into this one:`,
        ...folded.map((f) => `- ${f.subject}`),
      ].join('\n');
    }
    await tx.insert(notifyAttempts).values({
      id: newId(),
      deliveryId: d.id,
      attempt: d.attempts,
      leaseToken: token,
      startedAt: now,
      outcome: 'in_flight',
    });
    const message: Message = {
      subject,
      text,
      kind: d.summaryOf ? 'summary' : notice!.kind,
      drill: notice!.drill,
      priority: notice!.kind === 'page' ? 'urgent' : notice!.kind === 'reminder' ? 'high' : 'default',
      url: notice!.url ?? undefined,
      actions: d.actions,
      idempotencyKey: d.idempotencyKey,
    };
    return { delivery: d, token, message };
  });
}

type TxLike = Parameters<Parameters<Env['database']['db']['transaction']>[0]>[0];

async function foldHeld(tx: TxLike, summary: Delivery, now: Date, windowMs: number) {
  const held = await tx
    .select({ id: notifyDeliveries.id, subject: notifyNotices.subject })
    .from(notifyDeliveries)
    .innerJoin(notifyNotices, eq(notifyNotices.id, notifyDeliveries.noticeId))
    .where(
      and(
        eq(notifyDeliveries.state, 'held'),
        eq(notifyDeliveries.contactId, summary.contactId!),
        gte(notifyDeliveries.createdAt, new Date(summary.dueAt.getTime() - windowMs)),
        lt(notifyDeliveries.createdAt, summary.dueAt),
      ),
    )
    .orderBy(asc(notifyDeliveries.createdAt));
  if (held.length === 0) return held;
  const ids = held.map((h) => h.id);
  await tx
    .update(notifyDeliveries)
    .set({ state: 'folded', reason: `folded into summary ${summary.id}`, sentAt: now })
    .where(inArray(notifyDeliveries.id, ids));
  await tx.update(notifyDeliveries).set({ summaryOf: ids }).where(eq(notifyDeliveries.id, summary.id));
  return held;
}

/**
 * Writes an attempt's outcome under the lease it was made with: if the lease was lost (taken over
 * after expiry), the row belongs to someone else and is left alone. A retryable failure puts the
 * delivery back with exponential backoff and a fresh wake-up job.
 */
export async function finishDelivery(
  env: Env,
  s: NotifySettings,
  claim: { delivery: Delivery; token: string },
  result: SendResult,
): Promise<void> {
  const d = claim.delivery;
  await runVerb(env, { workspaceId: d.workspaceId, actor: SYSTEM_ACTOR }, async (ctx) => {
    const finishedAt = ctx.now;
    await ctx.tx
      .update(notifyAttempts)
      .set({
        finishedAt,
        outcome: result.ok ? 'sent' : 'failed',
        statusCode: result.status ?? null,
        error: result.ok ? null : result.error.slice(0, 500),
      })
      .where(and(eq(notifyAttempts.deliveryId, d.id), eq(notifyAttempts.leaseToken, claim.token)));
    const mine = and(eq(notifyDeliveries.id, d.id), eq(notifyDeliveries.leaseToken, claim.token));
    const done = { leaseToken: null, leaseUntil: null };
    if (result.ok) {
      await ctx.tx
        .update(notifyDeliveries)
        .set({ ...done, state: 'sent', sentAt: finishedAt, reason: null })
        .where(mine);
      return;
    }
    if (result.retryable && d.attempts < s.maxAttempts) {
      const dueAt = new Date(finishedAt.getTime() + s.retryBaseMs * 2 ** (d.attempts - 1));
      const [row] = await ctx.tx
        .update(notifyDeliveries)
        .set({ ...done, state: 'pending', dueAt, reason: result.error.slice(0, 500) })
        .where(mine)
        .returning({ id: notifyDeliveries.id });
      if (row) {
        ctx.enqueue({
          name: DELIVER_JOB,
          data: { id: d.id },
          startAfter: dueAt,
          singletonKey: `d:${d.id}:${d.attempts}`,
        });
      }
      return;
    }
    const [row] = await ctx.tx
      .update(notifyDeliveries)
      .set({ ...done, state: 'failed', reason: result.error.slice(0, 500) })
      .where(mine)
      .returning({ id: notifyDeliveries.id });
    if (row) {
      ctx.audit('notify.delivery_failed', 'delivery', d.id, {
        kind: d.kind,
        attempts: d.attempts,
        error: result.error.slice(0, 200),
      });
    }
  });
}

/** One wake-up: claim, send outside any transaction, record the outcome. */
export async function processDelivery(env: Env, s: NotifySettings, id: string): Promise<void> {
  const claim = await claimDelivery(env, s, id);
  if (!claim || 'skipped' in claim) return;
  const transport = TRANSPORTS[claim.delivery.kind];
  const to = { kind: claim.delivery.kind, address: claim.delivery.address, secret: claim.delivery.secret };
  let result: SendResult;
  try {
    result = await transport.send(claim.message, to, channelSettings(s, env.clock));
  } catch (err) {
    result = { ok: false, error: (err as Error).message, retryable: true };
  }
  await finishDelivery(env, s, claim, result);
}

/**
 * The auditor: deliveries that are due (or whose lease ran out, a worker having died between
 * claim and outcome) get a fresh wake-up. A job that went missing only delays a page, never loses it.
 */
export async function auditDeliveries(env: Env): Promise<number> {
  const now = env.clock.now();
  const stale = await env.database.db
    .select({ id: notifyDeliveries.id, attempts: notifyDeliveries.attempts })
    .from(notifyDeliveries)
    .where(
      or(
        and(
          eq(notifyDeliveries.state, 'pending'),
          lt(notifyDeliveries.dueAt, new Date(now.getTime() - 30_000)),
        ),
        and(eq(notifyDeliveries.state, 'sending'), lt(notifyDeliveries.leaseUntil, now)),
      ),
    )
    .limit(1000);
  for (const d of stale) {
    await env.jobs?.send(env.database.db as never, [
      { name: DELIVER_JOB, data: { id: d.id }, singletonKey: `d:${d.id}:audit:${d.attempts}` },
    ]);
  }
  return stale.length;
}
