import { metricsRoutes } from '../http/routes/metrics.ts';
import type { SiagaModule } from '../server/modules.ts';
import { recordClockResults } from './results.ts';

/** Response metrics: clock outcomes stored on resolve, SQL aggregates, the incident log. */
export function metricsModule(): SiagaModule {
  return {
    name: 'metrics',
    hooks(hooks) {
      hooks.on('incident.status_changed', (ctx, e) =>
        recordClockResults(ctx, e.incidentId, e.from as never, e.to as never),
      );
    },
    routes: (app, env) => metricsRoutes(app, env),
  };
}
