import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { installFrontDoor } from '../http/front-door.ts';
import { type Answer, type DoorRoute, jsonDoor, type RawAnswer } from '../http/json-door.ts';
import { requestObserver } from '../http/metrics.ts';
import { sendProblem, toProblem } from '../http/problem.ts';
import type { ZApp } from '../http/server.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb } from '../kernel/verb.ts';
import type { WebhookMapping } from '../plans/schema/webhook-mapping.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { acknowledgeAlert } from './acknowledge.ts';
import type { AlertsConfig } from './config.ts';
import { IntakeCache } from './intake-cache.ts';
import { IntakeStore, integrationScope } from './intake-store.ts';
import { type IntegrationRow, mappingOf } from './integrations.ts';
import type { IncomingAlert } from './model.ts';
import { RateLimiter } from './rate-limit.ts';
import { parseV2Alerts, parseWebhook } from './sources/alertmanager.ts';
import { PayloadError } from './sources/errors.ts';
import { type CompiledMapping, compileMapping, parseGeneric } from './sources/generic.ts';
import { parsePagerDuty } from './sources/pagerduty.ts';
import { parseSentry } from './sources/sentry.ts';
import type { IntegrationType } from './tables.ts';

class TooManyRequests extends Error {
  readonly retryAfter: number;
  constructor(retryAfter: number) {
    super('too many requests');
    this.retryAfter = retryAfter;
  }
}

// One answer for unknown, disabled and wrong-type secrets: a prober learns nothing.
const unknownSecret = () => new NotFound('integration');

/**
 * How PagerDuty refuses an event: 429 with Retry-After and an empty body, 400 with its JSON.
 * Undefined where a problem document serves (an unknown routing key's 404, a body over the limit).
 */
function pagerDutyRefusal(err: unknown): (RawAnswer & { type: string }) | undefined {
  if (err instanceof TooManyRequests)
    return { status: 429, headers: { 'retry-after': String(err.retryAfter) }, type: 'text/plain', body: '' };
  const status =
    (err as { statusCode?: number; status?: number }).statusCode ?? (err as { status?: number }).status;
  if (!(err instanceof PayloadError) && status !== 400) return undefined;
  const message = err instanceof PayloadError ? err.message : 'the body is not valid JSON';
  return {
    status: 400,
    type: 'application/json; charset=utf-8',
    body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: [message] }),
  };
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(String(headers.authorization ?? ''));
  return m?.[1];
}

/**
 * The endpoints sending tools post to. They authenticate by the integration's secret (in the
 * path, a bearer header, or PagerDuty's routing_key), not by a user's token, and answer 2xx only
 * after the alerts are committed, so a sender that retries on failure never loses one.
 */
export type Intake = {
  /** Writes the repeats answered from memory, so a read in this process sees every sighting. */
  settle(): Promise<void>;
  stop(): Promise<void>;
};

export function intakeRoutes(app: ZApp, env: Env, config: AlertsConfig): Intake {
  const limiter = new RateLimiter(config.ratePerSecond, config.rateBurst);
  const opts = { bodyLimit: config.bodyLimit, config: { access: 'public' as const }, schema: { hide: true } };

  const cache = new IntakeCache(env);
  const listening = cache.start().catch((err) => {
    env.log.error({ err }, 'alert intake cannot listen for changes; it trusts what it holds for 2 s');
  });

  const admit = async (secret: string | undefined, type: IntegrationType): Promise<IntegrationRow> => {
    // Wall time, not the domain clock: rate limits and the cache protect this process, they are
    // not domain facts.
    const wall = performance.now();
    const row = secret ? await cache.integration(secret, wall) : null;
    if (!row || row.type !== type) throw unknownSecret();
    const wait = limiter.take(row.id, wall);
    if (wait > 0) throw new TooManyRequests(wait);
    return row;
  };

  /**
   * A mapping compiled once per object that holds it: the cached integration row, or the
   * mapping in the cached plan. A webhook storm parsed and compiled it for every post.
   */
  const compiled = new WeakMap<object, CompiledMapping>();
  const compiledOnce = (holder: object, mapping: () => WebhookMapping): CompiledMapping => {
    let c = compiled.get(holder);
    if (!c) {
      c = compileMapping(mapping());
      compiled.set(holder, c);
    }
    return c;
  };
  const planMapping = async (row: IntegrationRow): Promise<CompiledMapping | null> => {
    const mapping = (await cache.activePlan(row.workspaceId, performance.now()))?.plan.routing.webhooks[
      row.name
    ];
    return mapping ? compiledOnce(mapping, () => mapping) : null;
  };

  const intake = new IntakeStore(env, cache);
  const store = (row: IntegrationRow, alerts: IncomingAlert[]) => intake.store(row, alerts);

  const parse = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof PayloadError) throw InvalidInput.field(e.field, e.message.slice(e.field.length + 2));
      throw e;
    }
  };

  /** The problem for a failed intake request: 429s say when to come back. */
  const problemOf = (err: unknown, req: Pick<FastifyRequest, 'url' | 'id'>) =>
    err instanceof TooManyRequests
      ? {
          problem: {
            ...toProblem(new InvalidInput(''), req),
            type: 'https://siaga.dev/problems/rate-limited',
            title: 'Too many requests',
            status: 429,
            detail: `this integration is over its rate; retry after ${err.retryAfter} s`,
          },
          headers: { 'retry-after': String(err.retryAfter) },
        }
      : { problem: toProblem(err, req) };

  const problemHandler = (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const { problem, headers } = problemOf(err, req);
    if (headers) reply.headers(headers);
    if (problem.status >= 500) req.log.error({ err }, 'alert intake failed');
    return sendProblem(reply, problem);
  };

  // PagerDuty's own shapes, so its client libraries and Alertmanager read the answer as they would PagerDuty's.
  const pagerDutyHandler = (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const raw = pagerDutyRefusal(err);
    if (!raw) return problemHandler(err, req, reply);
    if (raw.headers) reply.headers(raw.headers);
    return reply.code(raw.status).type(raw.type).send(raw.body);
  };

  /** The JSON intake endpoints, whichever way the request came (Fastify or the door). */
  const answers = {
    // Alertmanager's webhook_configs (payload version 4).
    async alertmanager(secret: string | undefined, body: unknown): Promise<Answer> {
      const row = await admit(secret, 'alertmanager');
      const alerts = parse(() =>
        parseWebhook(body, env.clock.now(), `integration:${row.name}`, { version: '4' }),
      );
      const out = await store(row, alerts);
      return { status: 200, body: { status: 'success', alerts: out.length } };
    },
    // Alertmanager's API v2, as Prometheus posts to it: an accepted post is a 200 with no body.
    async 'alertmanager-v2'(secret: string | undefined, body: unknown): Promise<Answer> {
      const row = await admit(secret, 'alertmanager');
      const alerts = parse(() => parseV2Alerts(body, env.clock.now(), `integration:${row.name}`));
      await store(row, alerts);
      return { status: 200 };
    },
    // Grafana's webhook contact point sends the Alertmanager webhook shape with its own version ("1").
    async grafana(secret: string | undefined, body: unknown): Promise<Answer> {
      const row = await admit(secret, 'grafana');
      const alerts = parse(() => parseWebhook(body, env.clock.now(), `integration:${row.name}`));
      const out = await store(row, alerts);
      return { status: 200, body: { status: 'success', alerts: out.length } };
    },
    // Any tool that can post JSON: the integration's mapping says where the title, status and labels are.
    async webhook(secret: string | undefined, body: unknown): Promise<Answer> {
      const row = await admit(secret, 'webhook');
      // The integration's own mapping wins over the plan's, so a quick fix needs no plan release.
      const compiled = row.mapping ? compiledOnce(row, () => mappingOf(row)!) : await planMapping(row);
      if (!compiled)
        throw InvalidInput.field(
          'mapping',
          `integration ${row.name} has no mapping: set one, or write routing.webhooks.${row.name} in the plan`,
        );
      const alerts = parse(() => parseGeneric(body, compiled, env.clock.now(), `integration:${row.name}`));
      // The same rounds as every other intake: coalesced commits, repeats answered from memory.
      const out = alerts.length > 0 ? await store(row, alerts) : [];
      return { status: 200, body: { status: 'success', alerts: out.length } };
    },
    // Sentry's integration-platform webhooks say what they carry in a header, not in the body.
    async sentry(secret: string | undefined, body: unknown, headers: IncomingHttpHeaders): Promise<Answer> {
      const row = await admit(secret, 'sentry');
      const resource = headers['sentry-hook-resource'];
      const alerts = parse(() =>
        parseSentry(
          typeof resource === 'string' ? resource : undefined,
          body,
          env.clock.now(),
          `integration:${row.name}`,
        ),
      );
      const out = alerts.length > 0 ? await store(row, alerts) : [];
      return { status: 200, body: { status: 'success', alerts: out.length } };
    },
    // PagerDuty's Events API v2: the routing key in the body is the integration's secret.
    async pagerduty(_secret: string | undefined, body: unknown): Promise<Answer> {
      const routingKey = (body as { routing_key?: unknown } | null)?.routing_key;
      if (typeof routingKey === 'string' && routingKey.length !== 32)
        throw new PayloadError(
          'routing_key',
          "Length of 'routing_key' is incorrect (should be 32 characters)",
        );
      const event = parsePagerDuty(body, env.clock.now(), 'pagerduty', () => newId().replaceAll('-', ''));
      const row = await admit(event.routingKey, 'pagerduty');
      const alert = { ...event.alert, source: `integration:${row.name}`, integrationId: row.id };
      // Triggers and resolves take the rounds every intake takes (coalesced, repeats answered
      // from memory, small posts in the express lane). An acknowledge changes the incident, not
      // the alert: it waits for the posts of its alert received before it, then runs alone.
      if (event.action === 'acknowledge') {
        await intake.after(row, [alert]);
        await runVerb(env, integrationScope(row), (ctx) => acknowledgeAlert(ctx, alert));
      } else await store(row, [alert]);
      return {
        status: 202,
        body: { status: 'success', message: 'Event processed', dedup_key: event.dedupKey },
      };
    },
  };
  type Kind = keyof typeof answers;
  const send = (reply: FastifyReply, a: Answer) =>
    a.body === undefined ? reply.code(a.status).send() : reply.code(a.status).send(a.body);

  // Each path is a Fastify route (app.inject, 415s, 503s while closing) and a door route (the
  // same answer without Fastify's per-request pipeline; see json-door.ts). A secret comes in
  // the path or, where the path has none, as a bearer token.
  const routes: readonly (DoorRoute<Kind> & { bearer: boolean })[] = [
    intakeRoute('/intake/alertmanager/api/v2/alerts', 'alertmanager-v2', true),
    intakeRoute('/intake/alertmanager/:secret/api/v2/alerts', 'alertmanager-v2'),
    intakeRoute('/intake/alertmanager', 'alertmanager', true),
    intakeRoute('/intake/alertmanager/:secret', 'alertmanager'),
    intakeRoute('/intake/grafana/:secret', 'grafana'),
    intakeRoute('/intake/webhook/:secret', 'webhook'),
    intakeRoute('/intake/sentry/:secret', 'sentry'),
    // The routing key is in the event itself.
    intakeRoute('/intake/pagerduty/v2/enqueue', 'pagerduty'),
  ];
  type P = { Params: { secret?: string } };
  for (const r of routes)
    app.post<P>(
      r.route,
      { ...opts, errorHandler: r.kind === 'pagerduty' ? pagerDutyHandler : problemHandler },
      async (req, reply) =>
        send(
          reply,
          await answers[r.kind](r.bearer ? bearer(req.headers) : req.params.secret, req.body, req.headers),
        ),
    );
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  installFrontDoor(
    app,
    jsonDoor({
      routes,
      bodyLimit: config.bodyLimit,
      answer: (r, secret, body, req) =>
        answers[r.kind](r.bearer ? bearer(req.headers) : secret, body, req.headers),
      problem: (err, req, r) => (r.kind === 'pagerduty' && pagerDutyRefusal(err)) || problemOf(err, req),
      observe: requestObserver(app),
      log: env.log,
      closing: () => closing,
    }),
  );

  return {
    settle: () => intake.settle(),
    async stop() {
      await intake.stop();
      await listening;
      await cache.stop();
    },
  };
}

/**
 * A Fastify route and its door route at once: the door's pattern is the Fastify path with
 * `:secret` as one segment and an optional trailing slash, as Fastify matches it.
 */
function intakeRoute<K extends string>(route: string, kind: K, bearer = false) {
  const pattern = route.replaceAll('/', '\\/').replace(':secret', '([^/]+)');
  return { path: new RegExp(`^${pattern}\\/?$`), route, kind, bearer };
}
