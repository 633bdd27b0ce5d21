import type { DomainEventType } from '../kernel/hooks.ts';
import type { ModuleOptions, SiagaModule } from '../server/modules.ts';
import { actRoutes } from './act-routes.ts';
import { deliverUpdate } from './channel-updates.ts';
import { closeMailTransports } from './channels/email.ts';
import { auditDeliveries, processDelivery } from './deliver.ts';
import { DELIVER_JOB, notifierFor } from './notifier.ts';
import { auditReminders, planReminders, REMIND_JOB, sendReminder } from './reminders.ts';
import { notifyRoutes } from './routes.ts';
import { loadNotifySettings, type NotifySettings } from './settings.ts';

const AUDIT_JOB = 'notify.audit';

/** Incident facts a clock depends on: any of them may move or meet a reminder's deadline. */
const REPLAN_ON: DomainEventType[] = [
  'incident.declared',
  'incident.acknowledged',
  'incident.status_changed',
  'incident.severity_changed',
  'incident.type_changed',
  'incident.role_assigned',
  'incident.update_posted',
  'incident.phase_entered',
  'incident.obligation_changed',
];

/**
 * Notify: implements env.notifier, delivers posted updates to the plan's channels, and keeps
 * reminders in step with the incident's clocks. Settings come from SIAGA_SMTP_URL and friends.
 */
export function notifyModule(opts: ModuleOptions | { settings: NotifySettings }): SiagaModule {
  const s = 'settings' in opts ? opts.settings : loadNotifySettings(opts.environment);
  return {
    name: 'notify',
    provide(env) {
      env.notifier = notifierFor(s);
    },
    hooks(hooks) {
      hooks.on('incident.update_posted', (ctx, e) => deliverUpdate(ctx, e.incidentId, e.updateId));
      for (const type of REPLAN_ON) {
        hooks.on(type, (ctx, e) =>
          planReminders(ctx, (e as { incidentId: string }).incidentId, type === 'incident.declared'),
        );
      }
    },
    jobs(jobs) {
      jobs.define({
        name: DELIVER_JOB,
        handler: (env, data) => processDelivery(env, s, String(data.id)),
        retryLimit: 3,
        retryDelay: 5,
        batchSize: 20,
        pollingIntervalSeconds: 0.5,
      });
      jobs.define({
        name: REMIND_JOB,
        handler: (env, data) => sendReminder(env, s, String(data.id)),
        retryLimit: 5,
      });
      jobs.define({
        name: AUDIT_JOB,
        handler: async (env) => {
          await auditDeliveries(env);
          await auditReminders(env);
        },
        retryLimit: 0,
      });
      jobs.every(AUDIT_JOB, '* * * * *');
    },
    routes(app, env) {
      notifyRoutes(app, env);
      return actRoutes(app, env);
    },
    async start(env) {
      await auditDeliveries(env);
      await auditReminders(env);
    },
    async stop() {
      closeMailTransports();
    },
  };
}
