import type { Clock as BossClock } from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/client.ts';
import { buildHttp, type ZApp } from '../http/server.ts';
import { JobSystem } from '../jobs/jobs.ts';
import type { Env } from '../kernel/env.ts';
import { Hooks } from '../kernel/hooks.ts';
import type { Clock } from '../shared/clock.ts';
import type { SiagaModule } from './modules.ts';

export type Runtime = {
  env: Env;
  jobs: JobSystem | null;
  /** Starts jobs and modules, then builds the HTTP app (not listening yet). */
  start(): Promise<ZApp>;
  stop(): Promise<void>;
};

/**
 * Wires one Siaga process: Env, hooks, jobs and modules. `serve` uses it with the system
 * clock; scenario tests use it with pg-boss's TestClock so durable jobs follow a fake clock.
 */
export function createRuntime(
  database: Database,
  opts: {
    clock: Clock;
    bossClock?: BossClock;
    log: Logger;
    publicUrl: string;
    modules?: SiagaModule[];
    /** Without jobs, verbs that enqueue fail loudly; tests of pure request paths can skip them. */
    withJobs?: boolean;
  },
): Runtime {
  const modules = opts.modules ?? [];
  const jobs = opts.withJobs === false ? null : new JobSystem(database, { clock: opts.bossClock });
  const env: Env = {
    database,
    clock: opts.clock,
    log: opts.log,
    jobs,
    publicUrl: opts.publicUrl,
    hooks: new Hooks(),
    notifier: null,
    alerts: null,
    oncall: null,
  };
  for (const m of modules) m.provide?.(env);
  for (const m of modules) m.hooks?.(env.hooks, env);
  if (jobs) for (const m of modules) m.jobs?.(jobs, env);
  let app: ZApp | undefined;
  return {
    env,
    jobs,
    async start() {
      await jobs?.start(env);
      for (const m of modules) await m.start?.(env);
      app = await buildHttp(env, {
        plugins: modules.filter((m) => m.routes).map((m) => (a: ZApp, e: Env) => m.routes!(a, e)),
        ready: () => jobs?.isReady() ?? true,
      });
      return app;
    },
    async stop() {
      await app?.close();
      for (const m of [...modules].reverse()) await m.stop?.();
      await jobs?.stop();
    },
  };
}
