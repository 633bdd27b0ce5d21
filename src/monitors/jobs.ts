import { and, eq, isNotNull, lt, sql } from 'drizzle-orm';
import type { JobSystem } from '../jobs/jobs.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { type ProbeResult, probeHttp, probeTcp } from './probe.ts';
import { monitorResults, monitors } from './tables.ts';
import { CHECK_JOB, recordCheck, scheduleCheck } from './verbs.ts';

export const AUDIT_JOB = 'monitors.audit';
const RETENTION_DAYS = 90;

async function check(env: Env, data: Record<string, unknown>): Promise<void> {
  const id = String(data.monitorId);
  const fence = Number(data.fence);
  const [m] = await env.database.db.select().from(monitors).where(eq(monitors.id, id));
  if (!m || m.fence !== fence || !m.enabled) return;
  const now = env.clock.now();
  // The probe runs outside any transaction: a slow target must not hold a lock or a connection.
  let r: ProbeResult;
  if (m.kind === 'http') r = await probeHttp({ ...m, target: m.target! });
  else if (m.kind === 'tcp') r = await probeTcp({ target: m.target!, timeoutMs: m.timeoutMs });
  else {
    const fresh =
      m.lastHeartbeatAt !== null && now.getTime() - m.lastHeartbeatAt.getTime() <= m.intervalSeconds * 1000;
    r = {
      ok: fresh,
      latencyMs: 0,
      code: null,
      error: fresh ? null : `no heartbeat for ${m.intervalSeconds} s`,
    };
  }
  await runVerb(env, { workspaceId: m.workspaceId, actor: { ...SYSTEM_ACTOR, name: 'monitor' } }, (ctx) =>
    recordCheck(ctx, id, fence, r),
  );
}

/**
 * Every minute: a monitor whose next check is well overdue lost its job (a crash between
 * commit and enqueue cannot happen, but a deleted queue or a restore can), so it gets a new one;
 * results older than 90 days are dropped.
 */
async function audit(env: Env): Promise<void> {
  const db = env.database.db;
  const now = env.clock.now();
  const overdue = await db
    .select()
    .from(monitors)
    .where(
      and(
        eq(monitors.enabled, true),
        isNotNull(monitors.nextCheckAt),
        sql`${monitors.nextCheckAt} < ${now.toISOString()}::timestamptz - make_interval(secs => ${monitors.intervalSeconds} * 2 + 60)`,
      ),
    );
  for (const m of overdue) {
    await runVerb(env, { workspaceId: m.workspaceId, actor: SYSTEM_ACTOR }, async (ctx) => {
      await ctx.tx.update(monitors).set({ nextCheckAt: ctx.now }).where(eq(monitors.id, m.id));
      scheduleCheck(ctx, m, ctx.now);
    });
  }
  await db
    .delete(monitorResults)
    .where(lt(monitorResults.at, new Date(now.getTime() - RETENTION_DAYS * 86_400_000)));
}

export function defineMonitorJobs(jobs: JobSystem): void {
  jobs.define({
    name: CHECK_JOB,
    handler: check,
    retryLimit: 2,
    retryDelay: 5,
    pollingIntervalSeconds: 1,
    batchSize: 20,
  });
  jobs.define({ name: AUDIT_JOB, handler: (env) => audit(env), retryLimit: 0 });
  jobs.every(AUDIT_JOB, '* * * * *');
}
