import type { AlertSink } from '../kernel/ports.ts';
import type { SiagaModule } from '../server/modules.ts';
import { alertsConfig } from './config.ts';
import { alertApiRoutes, silenceRoutes } from './http-api.ts';
import { intakeRoutes } from './http-intake.ts';
import { ingestAlerts } from './ingest.ts';

/** Alerts raised by Siaga's own sources (monitors, drills) take the same path as webhooks. */
export const alertSink: AlertSink = {
  async raise(ctx, alerts) {
    await ingestAlerts(ctx, alerts);
  },
};

export function alertsModule(environment: NodeJS.ProcessEnv = {}): SiagaModule {
  const config = alertsConfig(environment);
  return {
    name: 'alerts',
    provide(env) {
      env.alerts = alertSink;
    },
    routes(app, env) {
      alertApiRoutes(app, env);
      silenceRoutes(app, env);
      intakeRoutes(app, env, config);
    },
  };
}
