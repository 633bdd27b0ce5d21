import type { Registry } from 'prom-client';
import type { Env } from '../../kernel/env.ts';
import type { ZApp } from '../server.ts';

export function systemRoutes(
  app: ZApp,
  env: Env,
  opts: { registry: Registry; ready?: () => Promise<boolean> | boolean },
): void {
  const hidden = { hide: true };
  app.get('/healthz', { config: { access: 'public' }, schema: hidden }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access: 'public' }, schema: hidden }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    try {
      await env.database.query('SELECT 1');
      checks.database = 'ok';
    } catch (err) {
      checks.database = `failing: ${(err as Error).message}`;
    }
    const jobsReady = opts.ready ? await opts.ready() : true;
    checks.jobs = jobsReady ? 'ok' : 'starting';
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks });
  });

  app.get('/metrics', { config: { access: 'public' }, schema: hidden }, async (_req, reply) =>
    reply.type(opts.registry.contentType).send(await opts.registry.metrics()),
  );

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: hidden }, async () => app.swagger());
}
