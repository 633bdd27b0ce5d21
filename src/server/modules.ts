import type { ZApp } from '../http/server.ts';
import type { JobSystem } from '../jobs/jobs.ts';
import type { Env } from '../kernel/env.ts';
import type { Hooks } from '../kernel/hooks.ts';

/**
 * A capability plugged into the process: its domain-event subscribers, durable jobs, HTTP
 * routes and background start-up. The composition root wires every module the same way, so a
 * capability is added by listing it in MODULES, not by editing the server.
 */
export type SiagaModule = {
  name: string;
  /** Fills the ports this module implements (env.notifier, env.alerts). */
  provide?(env: Env): void;
  hooks?(hooks: Hooks, env: Env): void;
  jobs?(jobs: JobSystem, env: Env): void;
  routes?(app: ZApp, env: Env): void | Promise<void>;
  /** After jobs run: catch up on anything that came due while no process was running. */
  start?(env: Env): Promise<void>;
  stop?(): Promise<void>;
};

/** Every capability, in the order they are wired. */
export const MODULES: SiagaModule[] = [];
