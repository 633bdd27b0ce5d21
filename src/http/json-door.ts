import type { IncomingMessage } from 'node:http';
import { errorCodes } from 'fastify';
import type { Logger } from 'pino';
import sjson from 'secure-json-parse';
import type { Door } from './front-door.ts';
import type { RequestObserver } from './metrics.ts';
import type { Problem } from './problem.ts';
import { requestIdOf, traceOf } from './request-context.ts';

/** What an endpoint answers, whichever way the request came: a status and maybe a JSON body. */
export type Answer = { status: number; body?: unknown };

/** An answer as it goes on the wire, for a route that refuses in its sender's own shape. */
export type RawAnswer = { status: number; headers?: Record<string, string>; type?: string; body: string };

/** How a door refuses a request: problem+json, or an answer in the route's own shape. */
export type Refusal = { problem: Problem; headers?: Record<string, string> } | RawAnswer;

/** A path a door answers; `route` is the Fastify route pattern it stands for (metrics, logs). */
export type DoorRoute<K extends string> = { path: RegExp; route: string; kind: K };

export type JsonDoorOptions<R extends DoorRoute<string>> = {
  routes: readonly R[];
  bodyLimit: number;
  /** The endpoint itself; `param` is the path's captured segment, decoded. */
  answer(route: R, param: string | undefined, body: unknown, req: IncomingMessage): Promise<Answer>;
  /**
   * The problem document for a failure, and headers it needs (Retry-After); or, for a route
   * that speaks its sender's own error shapes (PagerDuty's), that answer as it goes on the wire.
   */
  problem(err: unknown, req: { url: string; id: string }, route: R): Refusal;
  observe: RequestObserver;
  log: Logger;
  /** Once the app is closing, requests go on to Fastify, which answers 503 as it does for all. */
  closing(): boolean;
};

const JSON_TYPE = /^application\/json\s*(?:;|$)/i;
// Fastify's defaults, so a poisoned body is refused the same way on either path.
const PARSE = { protoAction: 'error', constructorAction: 'error' } as const;

/**
 * POSTs of JSON to a few hot paths, answered without Fastify's routing, hooks and reply
 * pipeline: an intake endpoint under a storm of one-alert posts spent more on those than on the
 * alert. It keeps what a client or an operator sees of Fastify: the same body limit, JSON
 * parsing and errors (problem+json, `Connection: close` after a bad body), `x-request-id`, the
 * request counters in /metrics, and a log line per request. The log names the route pattern,
 * not the URL, which may hold a secret. Anything it does not answer (another method, another
 * content type) goes on to Fastify, where the same endpoints are routes too.
 */
export function jsonDoor<R extends DoorRoute<string>>(opts: JsonDoorOptions<R>): Door {
  return (req, res) => {
    if (req.method !== 'POST' || opts.closing()) return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    let route: R | undefined;
    let m: RegExpExecArray | null = null;
    for (const r of opts.routes) {
      m = r.path.exec(path);
      if (m) {
        route = r;
        break;
      }
    }
    if (!route || !m) return false;
    const type = req.headers['content-type'];
    if (typeof type !== 'string' || !JSON_TYPE.test(type)) return false;
    let param: string | undefined;
    try {
      param = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
    } catch {
      return false;
    }
    const id = requestIdOf(req.headers);
    const started = performance.now();
    const r = route;

    const finish = (status: number, headers: Record<string, string>, body: string | undefined) => {
      headers['x-request-id'] = id;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      else headers['content-length'] = '0';
      res.writeHead(status, headers);
      res.end(body);
      const seconds = (performance.now() - started) / 1000;
      opts.observe('POST', r.route, status, seconds);
      opts.log.info(
        {
          request_id: id,
          ...traceOf(req.headers),
          req: { method: 'POST', route: r.route },
          res: { statusCode: status },
          responseTime: seconds * 1000,
        },
        'request completed',
      );
    };
    const fail = (err: unknown, closeConnection = false) => {
      const refusal = opts.problem(err, { url, id }, r);
      const raw =
        'problem' in refusal
          ? {
              status: refusal.problem.status,
              headers: refusal.headers,
              type: 'application/problem+json; charset=utf-8',
              body: JSON.stringify(refusal.problem),
            }
          : refusal;
      if (raw.status >= 500) opts.log.error({ err, request_id: id }, 'request failed');
      finish(
        raw.status,
        {
          ...raw.headers,
          ...(closeConnection ? { connection: 'close' } : {}),
          ...(raw.type ? { 'content-type': raw.type } : {}),
        },
        raw.body,
      );
    };
    const respond = (body: unknown) => {
      opts.answer(r, param, body, req).then(
        (a) =>
          a.body === undefined
            ? finish(a.status, {}, undefined)
            : finish(a.status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(a.body)),
        (err) => fail(err),
      );
    };

    const declared = Number(req.headers['content-length']);
    if (declared > opts.bodyLimit) {
      fail(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), true);
      return true;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > opts.bodyLimit) {
        stop();
        fail(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), true);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (err?: Error) => {
      stop();
      if (err) return fail(Object.assign(err, { statusCode: 400 }), true);
      if (!Number.isNaN(declared) && received !== declared)
        return fail(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), true);
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      if (text.length === 0) return fail(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), true);
      let body: unknown;
      try {
        body = sjson.parse(text, PARSE);
      } catch {
        return fail(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), true);
      }
      respond(body);
    };
    const stop = () => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onEnd);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onEnd);
    return true;
  };
}
