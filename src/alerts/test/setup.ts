import type { LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { FIXTURE_PLAN, withPlan } from '../../../test/support/incidents.ts';
import { createScenario, type Scenario } from '../../../test/support/scenario.ts';
import { issueToken } from '../../access/verbs.ts';
import { buildHttp, type ZApp } from '../../http/server.ts';
import { runVerb } from '../../kernel/verb.ts';
import { alertsModule } from '../module.ts';

/** The fixture plan with routing rules the alert tests exercise. */
export const ALERT_PLAN = `${FIXTURE_PLAN}
routing:
  on_all_resolved: monitoring
  reopen_window: 1h
  flapping: { flips: 4, window: 10m }
  rules:
    - key: noise
      match: { team: noise }
      action: drop
    - key: fyi
      match: { severity: info }
      action: notify
      notify: [{ team: platform }]
    - key: prometheus
      match: { alertname: { present: true } }
      service: api
      group_by: [alertname]
      group_window: 30m
      severity_from: { label: severity, map: { critical: P1, warning: P2 }, default: P2 }
    - key: pagerduty
      severity_from: { label: severity, map: { critical: P1, error: P1 }, default: P2 }
`;

export type AlertWorld = Scenario & {
  app: ZApp;
  token: string;
  call(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  integration(type: string, name: string): Promise<{ secret: string; endpoints: Record<string, string> }>;
};

export async function alertWorld(
  opts: { plan?: string | null; environment?: NodeJS.ProcessEnv; start?: string; log?: Logger } = {},
): Promise<AlertWorld> {
  const mod = alertsModule(opts.environment ?? {});
  const s = await createScenario({ modules: [mod], start: opts.start });
  if (opts.log) s.env.log = opts.log;
  if (opts.plan !== null) await withPlan(s as never, opts.plan ?? ALERT_PLAN);
  // The scenario's runtime already runs the module's jobs; this app carries its routes.
  const app = await buildHttp(s.env, { plugins: [(a, e) => mod.routes!(a, e)] });
  const token = (
    await runVerb(s.env, s.admin.scope, (ctx) => issueToken(ctx, { userId: s.admin.id, name: 't' }))
  ).token;
  const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body === undefined
        ? {}
        : typeof body === 'string'
          ? { payload: body }
          : { payload: body as object }),
    });
  return {
    ...s,
    close: async () => {
      await app.close();
      await s.close();
    },
    app,
    token,
    call,
    async integration(type, name) {
      const r = await call('POST', '/api/v1/integrations', { type, name });
      if (r.statusCode !== 201) throw new Error(`integration: ${r.statusCode} ${r.body}`);
      return r.json();
    },
  };
}
