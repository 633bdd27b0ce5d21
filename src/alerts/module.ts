import type { AlertSink } from '../kernel/ports.ts';
import type { SiagaModule } from '../server/modules.ts';
import { alertsConfig } from './config.ts';
import { alertApiRoutes, silenceRoutes } from './http-api.ts';
import { type Intake, intakeRoutes } from './http-intake.ts';
import { ingestAlerts } from './ingest.ts';

/** Alerts raised by Siaga's own sources (monitors, drills) take the same path as webhooks. */
export const alertSink: AlertSink = {
  async raise(ctx, alerts) {
    await ingestAlerts(ctx, alerts);
  },
};

export function alertsModule(environment: NodeJS.ProcessEnv = {}): SiagaModule {
  const config = alertsConfig(environment);
  const intakes: Intake[] = [];
  return {
    name: 'alerts',
    provide(env) {
      env.alerts = alertSink;
    },
    routes(app, env) {
      const intake = intakeRoutes(app, env, config);
      intakes.push(intake);
      alertApiRoutes(app, env, intake.settle);
      silenceRoutes(app, env);
    },
    async stop() {
      // After the HTTP server has closed: the repeats it answered from memory are written last.
      for (const i of intakes.splice(0)) await i.stop();
    },
  };
}
