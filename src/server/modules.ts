import { drillsModule } from '../drills/module.ts';
import { escalationModule } from '../escalation/module.ts';
import type { ZApp } from '../http/server.ts';
import type { JobSystem } from '../jobs/jobs.ts';
import type { Env } from '../kernel/env.ts';
import type { Hooks } from '../kernel/hooks.ts';
import { metricsModule } from '../metrics/module.ts';
import { monitorsModule } from '../monitors/module.ts';
import { notifyModule } from '../notify/module.ts';
import { oncallModule } from '../oncall/module.ts';
import { postmortemsModule } from '../postmortems/module.ts';
import { statuspageModule } from '../statuspage/module.ts';
import { webModule, webSettings } from '../web/module.ts';
import type { Config } from './config.ts';

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

export type ModuleOptions = {
  /** The process environment: each module reads its own settings (SIAGA_SMTP_URL, …) from it. */
  environment: NodeJS.ProcessEnv;
  config: Config;
};

/**
 * Every capability, in the order they are wired. Adding one is one line here; its settings are
 * parsed by the module itself, so a bad value is reported by the module that owns it.
 */
export function defaultModules(opts: ModuleOptions): SiagaModule[] {
  return [
    notifyModule(opts),
    statuspageModule({ environment: opts.environment }),
    monitorsModule(),
    webModule(webSettings(opts.environment)),
    postmortemsModule(),
    metricsModule(),
    drillsModule(),
    oncallModule(opts.environment),
    escalationModule(),
  ];
}
