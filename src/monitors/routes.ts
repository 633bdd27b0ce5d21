import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf, scopeOf } from '../http/auth.ts';
import type { ZApp } from '../http/server.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { sha256Hex } from '../shared/ids.ts';
import { MonitorInput } from './schemas.ts';
import { monitorResults, monitors } from './tables.ts';
import { deleteMonitor, failurePing, findMonitor, heartbeat, type MonitorRow, putMonitor } from './verbs.ts';

const tags = ['monitors'];
const K = z.object({ key: z.string().min(1).max(64) });

function view(m: MonitorRow, env: Env, pushToken: string | null = null) {
  return {
    key: m.key,
    name: m.name,
    kind: m.kind,
    target: m.target,
    method: m.method,
    expected_status: m.expectedStatus,
    keyword: m.keyword,
    timeout_ms: m.timeoutMs,
    interval_seconds: m.intervalSeconds,
    down_after_seconds: m.downAfterSeconds,
    component_id: m.componentId,
    enabled: m.enabled,
    state: m.state,
    down_since: m.downSince?.toISOString() ?? null,
    alert_firing: m.alertFiring,
    last_heartbeat_at: m.lastHeartbeatAt?.toISOString() ?? null,
    next_check_at: m.nextCheckAt?.toISOString() ?? null,
    ...(pushToken
      ? { push_url: `${env.publicUrl.replace(/\/$/, '')}/api/v1/monitors/push/${pushToken}` }
      : {}),
  };
}

export function monitorRoutes(app: ZApp, env: Env): void {
  const db = env.database.db;
  app.get(
    '/api/v1/monitors',
    { schema: { tags, summary: 'Synthetic monitors and their state' } },
    async (req) => ({
      monitors: (
        await db
          .select()
          .from(monitors)
          .where(eq(monitors.workspaceId, principalOf(req).workspaceId))
      ).map((m) => view(m, env)),
    }),
  );

  app.put(
    '/api/v1/monitors/:key',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Create or replace a monitor (admins choose every target)',
        params: K,
        body: MonitorInput,
      },
    },
    async (req, reply) => {
      if (req.body.key !== req.params.key)
        throw InvalidInput.field('key', `must match the URL ("${req.params.key}")`);
      const r = await runVerb(env, scopeOf(req), (ctx) => putMonitor(ctx, req.body));
      return reply.code(201).send(view(r.monitor, env, r.pushToken));
    },
  );

  app.get(
    '/api/v1/monitors/:key',
    { schema: { tags, summary: 'A monitor and its recent results', params: K } },
    async (req) => {
      const m = await findMonitor(db, principalOf(req).workspaceId, req.params.key);
      const results = await db
        .select()
        .from(monitorResults)
        .where(eq(monitorResults.monitorId, m.id))
        .orderBy(desc(monitorResults.at))
        .limit(100);
      return {
        ...view(m, env),
        results: results.map((r) => ({
          at: r.at.toISOString(),
          ok: r.ok,
          latency_ms: r.latencyMs,
          code: r.code,
          error: r.error,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/monitors/:key',
    { config: { access: 'admin' }, schema: { tags, summary: 'Delete a monitor and its results', params: K } },
    async (req, reply) => {
      await runVerb(env, scopeOf(req), (ctx) => deleteMonitor(ctx, req.params.key));
      return reply.code(204).send();
    },
  );

  // Heartbeats: the secret in the URL is the credential, so cron jobs can call it with curl.
  const push = async (token: string, failure: { message: string | null } | null) => {
    const [m] = await db
      .select()
      .from(monitors)
      .where(eq(monitors.pushHash, sha256Hex(token)));
    if (m?.kind !== 'push') throw new NotFound('push monitor');
    await runVerb(
      env,
      { workspaceId: m.workspaceId, actor: { ...SYSTEM_ACTOR, name: `push:${m.key}` } },
      (ctx) => (failure ? failurePing(ctx, m.id, failure.message) : heartbeat(ctx, m.id)),
    );
    return { ok: true };
  };
  const T = z.object({ token: z.string().regex(/^sgp_[A-Za-z0-9_-]{43}$/, 'a push token') });
  const cfg = {
    config: { access: 'public' as const },
    schema: { tags, summary: 'Heartbeat of a push monitor', params: T },
  };
  app.post('/api/v1/monitors/push/:token', cfg, async (req) => push(req.params.token, null));
  app.get('/api/v1/monitors/push/:token', cfg, async (req) => push(req.params.token, null));
  const Message = z.strictObject({
    message: z.string().max(500).optional().describe('What failed, shown on the alert'),
  });
  const failCfg = {
    config: { access: 'public' as const },
    schema: {
      tags,
      summary: 'Failure ping: the job failed; raises the alert at once',
      params: T,
      querystring: Message,
    },
  };
  app.post('/api/v1/monitors/push/:token/fail', failCfg, async (req) =>
    push(req.params.token, { message: req.query.message ?? null }),
  );
  app.get('/api/v1/monitors/push/:token/fail', failCfg, async (req) =>
    push(req.params.token, { message: req.query.message ?? null }),
  );
}
