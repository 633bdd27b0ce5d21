import type { SiagaModule } from '../server/modules.ts';
import { defineMonitorJobs } from './jobs.ts';
import { monitorRoutes } from './routes.ts';

/** Synthetic monitors: HTTP, TCP and push checks on durable jobs, raising alerts through env.alerts. */
export function monitorsModule(): SiagaModule {
  return {
    name: 'monitors',
    jobs(jobs) {
      defineMonitorJobs(jobs);
    },
    routes(app, env) {
      monitorRoutes(app, env);
    },
  };
}
