import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Env } from '../kernel/env.ts';
import { makeAuthHook } from './auth.ts';
import { installMetrics } from './metrics.ts';
import { sendProblem, toProblem } from './problem.ts';
import { requestIdOf, traceOf } from './request-context.ts';
import { accessRoutes } from './routes/access.ts';
import { adminRoutes } from './routes/admin.ts';
import { auditRoutes } from './routes/audit.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { planRoutes } from './routes/plans.ts';
import { systemRoutes } from './routes/system.ts';

export type ZApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type HttpOptions = {
  /** Extra route groups installed by other modules (alerts, status page, web app). */
  plugins?: ((app: ZApp, env: Env) => void | Promise<void>)[];
  /** Whether the job system is up, for /readyz. */
  ready?: () => Promise<boolean> | boolean;
  bodyLimit?: number;
};

export const VERSION = '0.1.0';

/** Path segments and query parameters that carry a credential: never written to a log. */
const SECRET_PARAM = /:(secret|token)\b/;
const SECRET_QUERY = /([?&](?:secret|token|key)=)[^&]*/gi;

/**
 * The request as Fastify's request log lines show it, with credentials left out: an alert
 * intake or push-monitor URL holds its secret, and the log is read by more people than may
 * post alerts. Routes with such a parameter are shown by their pattern.
 */
export function loggedUrl(url: string, route: string | undefined): string {
  if (route && SECRET_PARAM.test(route)) return route;
  return url.replace(SECRET_QUERY, '$1<redacted>');
}

export async function buildHttp(env: Env, opts: HttpOptions = {}): Promise<ZApp> {
  const logger = env.log.child(
    {},
    {
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: loggedUrl(req.url, req.routeOptions?.url),
          host: req.host,
          remoteAddress: req.ip,
        }),
      },
    },
  );
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: (req) => requestIdOf(req.headers),
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Requests arriving from a traced caller log under its trace.
  app.addHook('onRequest', async (req, reply) => {
    const trace = traceOf(req.headers);
    if (trace) {
      req.log = req.log.child(trace);
      reply.log = req.log;
    }
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.setErrorHandler((err, req, reply) => {
    const problem = toProblem(err, req);
    if (problem.status >= 500) req.log.error({ err }, 'request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, {
      type: 'https://siaga.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: `no route ${req.method} ${req.url.split('?')[0]}`,
      instance: req.url.split('?')[0]!,
      request_id: String(req.id),
    }),
  );

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Siaga API',
        version: VERSION,
        description:
          'Incident response that runs the plan. Errors are application/problem+json (RFC 9457) with an `errors` list naming each offending field.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'siaga_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // onRequest, before body parsing and validation: an anonymous caller learns nothing about the input.
  app.addHook('onRequest', makeAuthHook(env));
  const registry = installMetrics(app, env);

  systemRoutes(app, env, { ready: opts.ready, registry });
  accessRoutes(app, env);
  planRoutes(app, env);
  incidentRoutes(app, env);
  auditRoutes(app, env);
  adminRoutes(app, env);
  for (const plugin of opts.plugins ?? []) await plugin(app, env);
  return app;
}
