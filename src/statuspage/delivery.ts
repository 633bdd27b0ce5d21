import { and, eq, sql } from 'drizzle-orm';
import type { JobSystem } from '../jobs/jobs.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { newId, newSecret, sha256Hex } from '../shared/ids.ts';
import { UPDATE_WORDS } from './i18n.ts';
import { type Mailer, PermanentFailure } from './mail.ts';
import { INDICATOR_TEXT } from './model.ts';
import { FANOUT_JOB } from './publish.ts';
import { pageUrl } from './snapshot.ts';
import { CONFIRM_JOB } from './subscribers.ts';
import {
  statusDeliveries,
  statusIncidents,
  statusIncidentUpdates,
  statusPages,
  statusSubscribers,
} from './tables.ts';

export const DELIVER_JOB = 'statuspage.deliver';
const RETRIES = 5;
const CLAIM_TIMEOUT = "interval '5 minutes'";

/** Links in mails go to Siaga's own address: confirm and unsubscribe need the server, not a cache. */
const siteBase = (env: Env, slug: string) => `${env.publicUrl.replace(/\/$/, '')}/status/${slug}`;

async function loadUpdate(env: Env, updateId: string) {
  const db = env.database.db;
  const [row] = await db
    .select({ u: statusIncidentUpdates, i: statusIncidents, p: statusPages })
    .from(statusIncidentUpdates)
    .innerJoin(statusIncidents, eq(statusIncidents.id, statusIncidentUpdates.statusIncidentId))
    .innerJoin(statusPages, eq(statusPages.id, statusIncidents.pageId))
    .where(eq(statusIncidentUpdates.id, updateId));
  return row;
}

/** One delivery row per matching subscriber, each its own job: one subscriber's failure retries alone. */
async function fanout(env: Env, data: Record<string, unknown>): Promise<void> {
  const row = await loadUpdate(env, String(data.updateId));
  if (!row) return;
  await runVerb(env, { workspaceId: row.p.workspaceId, actor: SYSTEM_ACTOR }, async (ctx) => {
    const comps = row.i.componentIds;
    const subs = await ctx.tx
      .select({ id: statusSubscribers.id, componentIds: statusSubscribers.componentIds })
      .from(statusSubscribers)
      .where(
        and(
          eq(statusSubscribers.pageId, row.p.id),
          sql`${statusSubscribers.confirmedAt} IS NOT NULL AND ${statusSubscribers.bouncedAt} IS NULL`,
        ),
      );
    const targets = subs.filter(
      (s) => s.componentIds.length === 0 || s.componentIds.some((c) => comps.includes(c)),
    );
    if (targets.length === 0) return;
    const inserted = await ctx.tx
      .insert(statusDeliveries)
      .values(
        targets.map((s) => ({
          id: newId(),
          subscriberId: s.id,
          updateId: row.u.id,
          state: 'pending' as const,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: statusDeliveries.id });
    for (const d of inserted)
      ctx.enqueue({ name: DELIVER_JOB, data: { deliveryId: d.id }, singletonKey: d.id });
  });
}

function webhookPayload(
  env: Env,
  row: NonNullable<Awaited<ReturnType<typeof loadUpdate>>>,
  unsubscribe: string,
) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const i = row.i;
  return {
    meta: {
      unsubscribe,
      documentation: 'https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/',
    },
    page: {
      id: row.p.id,
      status_indicator: i.impact === 'maintenance' ? 'none' : i.resolvedAt ? 'none' : i.impact,
      status_description: INDICATOR_TEXT[i.impact === 'maintenance' || i.resolvedAt ? 'none' : i.impact].en,
    },
    incident: {
      id: i.id,
      name: i.name,
      status: row.u.status,
      impact: i.impact,
      created_at: iso(i.createdAt),
      updated_at: iso(row.u.createdAt),
      monitoring_at: iso(i.monitoringAt),
      resolved_at: iso(i.resolvedAt),
      started_at: iso(i.startedAt),
      shortlink: `${pageUrl(row.p, env.publicUrl)}/incidents/${i.id}`,
      page_id: row.p.id,
      ...(i.kind === 'maintenance'
        ? { scheduled_for: iso(i.scheduledFor), scheduled_until: iso(i.scheduledUntil) }
        : {}),
      incident_updates: [
        {
          id: row.u.id,
          status: row.u.status,
          body: row.u.body,
          incident_id: i.id,
          created_at: iso(row.u.createdAt),
          updated_at: iso(row.u.createdAt),
          display_at: iso(row.u.createdAt),
          affected_components: row.u.affectedComponents.length > 0 ? row.u.affectedComponents : null,
        },
      ],
    },
  };
}

async function deliver(
  env: Env,
  mailer: Mailer,
  data: Record<string, unknown>,
  retryCount: number,
): Promise<void> {
  const db = env.database.db;
  const now = env.clock.now();
  // Claimed in its own short statement, so no transaction stays open while a mail server or a
  // webhook takes its time; a claim older than five minutes is a crashed worker's and is retaken.
  const [claimed] = await db
    .update(statusDeliveries)
    .set({ state: 'sending', attempts: sql`${statusDeliveries.attempts} + 1`, claimedAt: now })
    .where(
      and(
        eq(statusDeliveries.id, String(data.deliveryId)),
        sql`(${statusDeliveries.state} = 'pending' OR (${statusDeliveries.state} = 'sending' AND ${statusDeliveries.claimedAt} < ${now.toISOString()}::timestamptz - ${sql.raw(CLAIM_TIMEOUT)}))`,
      ),
    )
    .returning();
  if (!claimed) return;
  const [sub] = await db
    .select()
    .from(statusSubscribers)
    .where(eq(statusSubscribers.id, claimed.subscriberId));
  const row = await loadUpdate(env, claimed.updateId);
  if (!sub || !row) return;
  const unsubscribe = `${siteBase(env, row.p.slug)}/unsubscribe?token=${sub.unsubscribeToken}`;
  try {
    if (sub.kind === 'email') {
      const status = (UPDATE_WORDS[row.u.status] ?? { en: row.u.status }).en;
      const affected = row.u.affectedComponents.map(
        (a) => `  ${a.name}: ${a.new_status.replaceAll('_', ' ')}`,
      );
      await mailer.send({
        to: sub.address,
        subject: `[${row.p.name}] ${row.i.name}: ${status}`,
        text: [
          `${row.i.name}`,
          '',
          `${status}: ${row.u.body}`,
          ...(affected.length ? ['', 'Components:', ...affected] : []),
          '',
          `${pageUrl(row.p, env.publicUrl)}/incidents/${row.i.id}`,
          '',
          `Unsubscribe: ${unsubscribe}`,
        ].join('\n'),
        headers: {
          'List-Unsubscribe': `<${unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'X-Siaga-Delivery': claimed.id,
        },
      });
    } else {
      const res = await fetch(sub.address, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Siaga-Statuspage/0.1',
          'x-siaga-delivery': claimed.id,
        },
        body: JSON.stringify(webhookPayload(env, row, unsubscribe)),
        signal: AbortSignal.timeout(10_000),
        redirect: 'manual',
      });
      if (!res.ok) {
        const msg = `HTTP ${res.status} from the webhook`;
        throw res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429
          ? new PermanentFailure(msg)
          : new Error(msg);
      }
    }
    await db
      .update(statusDeliveries)
      .set({ state: 'sent', sentAt: env.clock.now(), lastError: null })
      .where(eq(statusDeliveries.id, claimed.id));
  } catch (err) {
    const permanent = err instanceof PermanentFailure;
    const last = permanent || retryCount >= RETRIES;
    const message = (err as Error).message.slice(0, 500);
    await db
      .update(statusDeliveries)
      .set({ state: last ? 'failed' : 'pending', lastError: message })
      .where(eq(statusDeliveries.id, claimed.id));
    await db
      .update(statusSubscribers)
      .set({
        failures: sql`${statusSubscribers.failures} + 1`,
        lastError: message,
        ...(permanent && sub.kind === 'email' ? { bouncedAt: env.clock.now() } : {}),
      })
      .where(eq(statusSubscribers.id, sub.id));
    if (!last) throw err;
  }
}

async function sendConfirmation(env: Env, mailer: Mailer, data: Record<string, unknown>): Promise<void> {
  const db = env.database.db;
  const [row] = await db
    .select({ s: statusSubscribers, p: statusPages })
    .from(statusSubscribers)
    .innerJoin(statusPages, eq(statusPages.id, statusSubscribers.pageId))
    .where(eq(statusSubscribers.id, String(data.subscriberId)));
  if (!row || row.s.confirmedAt) return;
  // The token exists only in the mail; the database keeps its hash.
  const token = newSecret('sps');
  await db
    .update(statusSubscribers)
    .set({ confirmHash: sha256Hex(token) })
    .where(eq(statusSubscribers.id, row.s.id));
  const base = siteBase(env, row.p.slug);
  const unsubscribe = `${base}/unsubscribe?token=${row.s.unsubscribeToken}`;
  await mailer.send({
    to: row.s.address,
    subject: `Confirm your subscription to ${row.p.name}`,
    text: [
      `Someone (hopefully you) asked to receive status updates from ${row.p.name} at this address.`,
      '',
      `Confirm: ${base}/confirm?token=${token}`,
      '',
      'If it was not you, ignore this message: nothing will be sent without confirmation.',
    ].join('\n'),
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
}

export function defineDeliveryJobs(jobs: JobSystem, mailer: Mailer): void {
  jobs.define({ name: FANOUT_JOB, handler: (env, data) => fanout(env, data), pollingIntervalSeconds: 0.5 });
  jobs.define({
    name: DELIVER_JOB,
    handler: (env, data, job) => deliver(env, mailer, data, job.retryCount),
    retryLimit: RETRIES,
    retryDelay: 5,
    pollingIntervalSeconds: 0.5,
    batchSize: 20,
  });
  jobs.define({
    name: CONFIRM_JOB,
    handler: (env, data) => sendConfirmation(env, mailer, data),
    retryLimit: RETRIES,
    retryDelay: 5,
    pollingIntervalSeconds: 0.5,
  });
}
