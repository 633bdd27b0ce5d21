import { drillRoutes } from '../http/routes/drills.ts';
import type { SiagaModule } from '../server/modules.ts';
import { remindDueDrills } from './cadence.ts';

export const DRILL_AUDIT_JOB = 'drills.remind_due';

/** The plan's drill cadence: last and next drill, and a reminder when one comes due. */
export function drillsModule(): SiagaModule {
  return {
    name: 'drills',
    jobs(jobs) {
      jobs.define({ name: DRILL_AUDIT_JOB, handler: async (env) => void (await remindDueDrills(env)) });
      jobs.every(DRILL_AUDIT_JOB, '17 * * * *');
    },
    routes: (app, env) => drillRoutes(app, env),
  };
}
