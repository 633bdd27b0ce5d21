import { installFrontDoor } from '../http/front-door.ts';
import type { SiagaModule } from '../server/modules.ts';
import { StatusCache } from './cache.ts';
import { defineDeliveryJobs } from './delivery.ts';
import { type Mailer, mailerFrom } from './mail.ts';
import { frontDoor, publicRoutes } from './public-routes.ts';
import { onUpdatePosted } from './publish.ts';
import { statuspageRoutes } from './routes.ts';

export type StatuspageModule = SiagaModule & { cache(): StatusCache };

/**
 * The public status page: publishes external updates from incidents, serves pages from an
 * in-memory cache kept fresh by NOTIFY, and delivers updates to subscribers on durable jobs.
 */
export function statuspageModule(opts: {
  environment: NodeJS.ProcessEnv;
  mailer?: Mailer;
}): StatuspageModule {
  const mailer = opts.mailer ?? mailerFrom(opts.environment);
  let cache: StatusCache | null = null;
  const need = () => {
    if (!cache) throw new Error('the status page module has not started');
    return cache;
  };
  return {
    name: 'statuspage',
    cache: need,
    hooks(hooks) {
      hooks.on('incident.update_posted', onUpdatePosted);
    },
    jobs(jobs) {
      defineDeliveryJobs(jobs, mailer);
    },
    async start(env) {
      cache = new StatusCache(env);
      await cache.start();
    },
    routes(app, env) {
      statuspageRoutes(app, env);
      publicRoutes(app, env, need());
      installFrontDoor(app, frontDoor(need(), env));
    },
    async stop() {
      await cache?.stop();
    },
  };
}
