import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Env } from '../kernel/env.ts';

/** Counts one request a front door answered, as the hook below counts Fastify's. */
export type RequestObserver = (method: string, route: string, status: number, seconds: number) => void;

const observers = new WeakMap<FastifyInstance, RequestObserver>();

/** How a front door installed on this app counts its requests in /metrics. */
export function requestObserver(app: FastifyInstance): RequestObserver {
  return observers.get(app) ?? (() => {});
}

/** Siaga's own /metrics, in the Prometheus text format. One registry per server instance. */
export function installMetrics(app: FastifyInstance, env: Env): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'siaga_' });
  const requests = new Counter({
    name: 'siaga_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'siaga_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'siaga_incidents_open',
    help: 'Open incidents (investigating, identified, monitoring), drills excluded',
    registers: [registry],
    async collect() {
      const [row] = await env.database.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM incidents WHERE status IN ('investigating','identified','monitoring') AND NOT drill`,
      );
      this.set(row?.n ?? 0);
    },
  });
  const observe: RequestObserver = (method, route, status, seconds) => {
    requests.inc({ method, route, status: String(status) });
    duration.observe({ method, route }, seconds);
  };
  observers.set(app, observe);
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, not the URL: label values must stay few.
    observe(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  return registry;
}
