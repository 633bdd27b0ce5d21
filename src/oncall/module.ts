import type { SiagaModule } from '../server/modules.ts';
import { parseDuration } from '../shared/duration.ts';
import { directory } from './directory.ts';
import { sendShiftNotices } from './notices.ts';
import { oncallRoutes } from './routes.ts';

export const NOTICE_JOB = 'oncall.shift-notices';

/** On-call: schedules, teams, who is on call, calendar feeds, shift-change notices. */
export function oncallModule(environment: NodeJS.ProcessEnv = {}): SiagaModule {
  const lead = parseDuration(environment.SIAGA_ONCALL_NOTICE_LEAD ?? '1h');
  if (!lead || lead.months || lead.businessDays)
    throw new Error('SIAGA_ONCALL_NOTICE_LEAD must be a fixed duration like "1h" or "30m"');
  return {
    name: 'oncall',
    provide(env) {
      env.oncall = directory;
    },
    jobs(jobs) {
      jobs.define({
        name: NOTICE_JOB,
        retryLimit: 1,
        handler: async (env) => void (await sendShiftNotices(env, lead.ms)),
      });
      jobs.every(NOTICE_JOB, '* * * * *');
    },
    routes: oncallRoutes,
  };
}
