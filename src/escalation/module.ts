import { atPriority } from '../db/turns.ts';
import type { SiagaModule } from '../server/modules.ts';
import { onAcknowledged, onSeverityChanged, onStatusChanged, STEP_JOB, startEscalation } from './engine.ts';
import { escalationRoutes } from './routes.ts';
import { auditSteps, runSteps, STEPS_PER_TX } from './run-step.ts';

export const AUDIT_JOB = 'escalation.audit';

/** Escalation: starts on declaration, pages on durable timers, stops on ack and resolve. */
export function escalationModule(
  opts: { pollingIntervalSeconds?: number; batchSize?: number } = {},
): SiagaModule {
  return {
    name: 'escalation',
    hooks(hooks) {
      hooks.on('incident.declared', (ctx, e) => startEscalation(ctx, e.incidentId));
      hooks.on('incident.acknowledged', (ctx, e) => onAcknowledged(ctx, e.incidentId));
      hooks.on('incident.status_changed', (ctx, e) => onStatusChanged(ctx, e.incidentId, e.to));
      hooks.on('incident.severity_changed', (ctx, e) => onSeverityChanged(ctx, e.incidentId));
    },
    jobs(jobs) {
      jobs.define({
        name: STEP_JOB,
        // Everything one poll fetches runs in one transaction: under a storm of due steps each
        // step no longer pays a whole transaction (audit head, commit, reads of the same rows).
        batchSize: opts.batchSize ?? STEPS_PER_TX,
        pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5,
        // A page is what the incident waits on: on the embedded database it goes before storm writes.
        batchHandler: async (env, jobs) => {
          await atPriority('urgent', () =>
            runSteps(
              env,
              jobs.map((j) => ({ stepId: String(j.data.stepId), token: String(j.data.token) })),
            ),
          );
        },
      });
      jobs.define({ name: AUDIT_JOB, retryLimit: 0, handler: async (env) => void (await auditSteps(env)) });
      jobs.every(AUDIT_JOB, '* * * * *');
    },
    routes: escalationRoutes,
    async start(env) {
      // Catch up on steps that came due while no process ran (their jobs run too; the token decides).
      await auditSteps(env, 0);
    },
  };
}
