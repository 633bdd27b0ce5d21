import type { SiagaModule } from '../server/modules.ts';
import { eventsRoute } from './events-route.ts';
import { LiveHub } from './live-hub.ts';
import { DEFAULT_WEB_DIR, staticRoutes } from './static.ts';

export type WebSettings = { dir: string; heartbeatMs: number };

export class WebConfigError extends Error {}

/** SIAGA_WEB_DIR (the built app; default dist/web), SIAGA_SSE_HEARTBEAT_SECONDS (default 15). */
export function webSettings(environment: NodeJS.ProcessEnv): WebSettings {
  const raw = environment.SIAGA_SSE_HEARTBEAT_SECONDS;
  const seconds = raw === undefined || raw === '' ? 15 : Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 300) {
    throw new WebConfigError(`SIAGA_SSE_HEARTBEAT_SECONDS must be between 0 and 300, got "${raw}"`);
  }
  return { dir: environment.SIAGA_WEB_DIR || DEFAULT_WEB_DIR, heartbeatMs: seconds * 1000 };
}

/**
 * The responders' web app: the built app at `/` and the live event stream it listens to. The
 * hub listens on the verbs' NOTIFY channel once per process and fans out to every stream.
 */
export function webModule(settings: WebSettings): SiagaModule & { hub: LiveHub } {
  const hub = new LiveHub();
  return {
    name: 'web',
    hub,
    async start(env) {
      await hub.start(env.database);
    },
    routes(app) {
      eventsRoute(app, hub, { heartbeatMs: settings.heartbeatMs });
      staticRoutes(app, settings.dir);
    },
    async stop() {
      await hub.stop();
    },
  };
}
