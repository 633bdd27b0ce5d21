import { postmortemRoutes } from '../http/routes/postmortems.ts';
import type { SiagaModule } from '../server/modules.ts';
import { auditOverdue, REMIND_JOB, remindOverdue } from './action-items.ts';
import { draftPostmortem } from './verbs.ts';

export const AUDIT_JOB = 'postmortems.audit_overdue';

/** Post-mortems drafted on resolve, action items and their overdue reminders. */
export function postmortemsModule(): SiagaModule {
  return {
    name: 'postmortems',
    hooks(hooks) {
      hooks.on('incident.status_changed', async (ctx, e) => {
        if (e.to !== 'resolved') return;
        await draftPostmortem(ctx, e.incidentId, { onlyWhenRequired: true });
      });
    },
    jobs(jobs) {
      jobs.define({
        name: REMIND_JOB,
        handler: async (env, data) => {
          await remindOverdue(env, data as { workspaceId: string; id: string; token: number });
        },
      });
      jobs.define({ name: AUDIT_JOB, handler: async (env) => void (await auditOverdue(env)) });
      jobs.every(AUDIT_JOB, '*/5 * * * *');
    },
    routes: (app, env) => postmortemRoutes(app, env),
    async start(env) {
      await auditOverdue(env);
    },
  };
}
