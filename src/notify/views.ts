import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { notifyAttempts, notifyDeliveries, notifyNotices } from './tables.ts';

export const NoticeView = z.object({
  id: z.string(),
  dedup_key: z.string(),
  kind: z.string(),
  subject: z.string(),
  incident_id: z.string().nullable(),
  drill: z.boolean(),
  created_at: z.string(),
  undeliverable: z.array(z.object({ recipient: z.string(), reason: z.string() })),
  deliveries: z.array(
    z.object({
      id: z.string(),
      user_id: z.string().nullable(),
      channel_key: z.string().nullable(),
      kind: z.string(),
      state: z.string(),
      attempts: z.number(),
      due_at: z.string(),
      sent_at: z.string().nullable(),
      reason: z.string().nullable(),
      history: z.array(
        z.object({
          attempt: z.number(),
          outcome: z.string(),
          status_code: z.number().nullable(),
          error: z.string().nullable(),
        }),
      ),
    }),
  ),
});

export async function listNotices(db: Db, workspaceId: string, q: { incident?: string; limit: number }) {
  const notices = await db
    .select()
    .from(notifyNotices)
    .where(
      and(
        eq(notifyNotices.workspaceId, workspaceId),
        q.incident ? eq(notifyNotices.incidentId, q.incident) : undefined,
      ),
    )
    .orderBy(desc(notifyNotices.createdAt))
    .limit(q.limit);
  const ids = notices.map((n) => n.id);
  const deliveries = ids.length
    ? await db.select().from(notifyDeliveries).where(inArray(notifyDeliveries.noticeId, ids))
    : [];
  const dids = deliveries.map((d) => d.id);
  const attempts = dids.length
    ? await db.select().from(notifyAttempts).where(inArray(notifyAttempts.deliveryId, dids))
    : [];
  return notices.map((n) => ({
    id: n.id,
    dedup_key: n.dedupKey,
    kind: n.kind,
    subject: n.subject,
    incident_id: n.incidentId,
    drill: n.drill,
    created_at: n.createdAt.toISOString(),
    undeliverable: n.undeliverable,
    deliveries: deliveries
      .filter((d) => d.noticeId === n.id)
      .map((d) => ({
        id: d.id,
        user_id: d.userId,
        channel_key: d.channelKey,
        kind: d.kind,
        state: d.state,
        attempts: d.attempts,
        due_at: d.dueAt.toISOString(),
        sent_at: d.sentAt?.toISOString() ?? null,
        reason: d.reason,
        history: attempts
          .filter((a) => a.deliveryId === d.id)
          .sort((a, b) => a.attempt - b.attempt)
          .map((a) => ({
            attempt: a.attempt,
            outcome: a.outcome,
            status_code: a.statusCode,
            error: a.error,
          })),
      })),
  }));
}
