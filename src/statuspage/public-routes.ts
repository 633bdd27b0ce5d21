import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodError } from 'zod';
import type { ZApp } from '../http/server.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb, type Scope } from '../kernel/verb.ts';
import { AppError, InvalidInput } from '../shared/errors.ts';
import type { PageSnapshot, StatusCache } from './cache.ts';
import { renderMessage } from './html.ts';
import { chooseLang, type Lang } from './i18n.ts';
import { type PublicRequest, type PublicResponse, servePublic, TOKEN_RE } from './public.ts';
import { RateLimiter } from './ratelimit.ts';
import { SubscribeInput } from './schemas.ts';
import { confirmSubscription, subscribeEmail, unsubscribe } from './subscribers.ts';

const NOT_FOUND: PublicResponse = {
  status: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'public, max-age=60' },
  body: 'There is no status page here.\n',
};
const VISITOR: Scope['actor'] = { type: 'system', id: null, name: 'status page visitor' };

function fromZod(err: ZodError): InvalidInput {
  const errors = err.issues.map((i) => ({
    field:
      i.path.reduce<string>(
        (a, s) => (typeof s === 'number' ? `${a}[${s}]` : a ? `${a}.${String(s)}` : String(s)),
        '',
      ) || '(body)',
    message: i.message,
  }));
  return new InvalidInput(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/**
 * Visitor traffic for /status/<slug>/… and for a page's own host name, answered from the cache.
 * Installed in front of Fastify on the HTTP server, so a cached read costs no routing, hooks
 * or logging; the same answers are also Fastify routes (for app.inject and OpenAPI-free paths).
 */
export function frontDoor(cache: StatusCache, env: Env) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const { path, query } = splitUrl(req.url ?? '/');
    let r: PublicResponse | null = null;
    const hostSnap = cache.byHostName(req.headers.host);
    if (
      hostSnap &&
      !path.startsWith('/api/v1/') &&
      !path.startsWith('/status/') &&
      path !== '/healthz' &&
      path !== '/readyz' &&
      path !== '/metrics'
    ) {
      r = servePublic(
        hostSnap,
        'host',
        { method: req.method, rest: path, query, headers: req.headers },
        env.clock.now(),
      );
    } else if (path.startsWith('/status/')) {
      const end = path.indexOf('/', 8);
      const slug = end < 0 ? path.slice(8) : path.slice(8, end);
      const rest = end < 0 ? '' : path.slice(end);
      if (rest === '/confirm') return false;
      const snap = cache.bySlugName(slug);
      r = snap
        ? servePublic(
            snap,
            'path',
            { method: req.method, rest, query, headers: req.headers },
            env.clock.now(),
          )
        : NOT_FOUND;
    } else return false;
    res.writeHead(r.status, r.wire ?? r.headers);
    res.end(r.body);
    return true;
  };
}

export function publicRoutes(app: ZApp, env: Env, cache: StatusCache): void {
  const perClient = new RateLimiter(10, 10 * 60_000);
  const perPage = new RateLimiter(300, 60 * 60_000);
  const reply = (res: FastifyReply, r: PublicResponse) => res.code(r.status).headers(r.headers).send(r.body);

  const serve = (req: FastifyRequest<{ Params: { slug: string; '*'?: string } }>, res: FastifyReply) => {
    const snap = cache.bySlugName(req.params.slug);
    if (!snap) return reply(res, NOT_FOUND);
    const { query } = splitUrl(req.url);
    const rest = req.params['*'] === undefined ? '' : `/${req.params['*']}`;
    const pr: PublicRequest = { method: req.method, rest, query, headers: req.headers };
    return reply(res, servePublic(snap, 'path', pr, env.clock.now()));
  };

  const page = (slug: string): PageSnapshot => {
    const s = cache.bySlugName(slug);
    if (!s) throw new AppError(404, 'not-found', `no status page "${slug}"`);
    return s;
  };
  const message = (
    res: FastifyReply,
    snap: PageSnapshot,
    lang: Lang,
    status: number,
    title: string,
    text: string,
  ) =>
    res
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .send(
        renderMessage(snap.model, { lang, mount: 'path', now: env.clock.now(), stale: false }, title, text),
      );

  app.register(async (sub) => {
    sub.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8192 },
      (_req, body, done) => {
        const p = new URLSearchParams(String(body));
        const out: Record<string, unknown> = {};
        for (const k of new Set(p.keys())) out[k] = k === 'components' ? p.getAll(k) : p.get(k);
        done(null, out);
      },
    );

    const cfg = { config: { access: 'public' as const } };
    sub.get('/status/:slug', cfg, serve);
    sub.get('/status/:slug/*', cfg, serve);

    sub.post<{ Params: { slug: string } }>(
      '/status/:slug/subscribe',
      { ...cfg, bodyLimit: 8192 },
      async (req, res) => {
        const snap = page(req.params.slug);
        const form = String(req.headers['content-type'] ?? '').startsWith(
          'application/x-www-form-urlencoded',
        );
        const raw = (req.body ?? {}) as Record<string, unknown>;
        const lang = chooseLang(
          typeof raw.lang === 'string' ? raw.lang : null,
          req.headers['accept-language'],
          snap.model.page.language,
        );
        const now = env.clock.now().getTime();
        const wait = Math.max(
          perClient.hit(`${snap.model.page.id}:${req.ip}`, now),
          perPage.hit(snap.model.page.id, now),
        );
        if (wait > 0) {
          res.header('retry-after', String(wait));
          if (form)
            return message(
              res,
              snap,
              lang,
              429,
              '429',
              lang === 'id'
                ? 'Terlalu banyak permintaan; coba lagi nanti.'
                : 'Too many requests; try again later.',
            );
          throw new AppError(429, 'rate-limited', `too many subscription requests; retry after ${wait} s`);
        }
        // Empty form fields mean "not given"; a form cannot send JSON's absence.
        if (form && Array.isArray(raw.components) && raw.components.length === 0) delete raw.components;
        const parsed = SubscribeInput.safeParse(raw);
        try {
          if (!parsed.success) throw fromZod(parsed.error);
          if (snap.model.page.secretHash)
            throw new AppError(403, 'forbidden', 'a private page takes no public subscriptions');
          await runVerb(env, { workspaceId: snap.model.page.workspaceId, actor: VISITOR }, (ctx) =>
            subscribeEmail(ctx, snap.model.page, {
              email: parsed.data.email,
              components: parsed.data.components ?? [],
            }),
          );
        } catch (err) {
          if (form && err instanceof AppError) {
            const detail = err.errors.length
              ? err.errors.map((e) => `${e.field}: ${e.message}`).join('; ')
              : err.message;
            return message(res, snap, lang, err.status, String(err.status), detail);
          }
          throw err;
        }
        const text =
          lang === 'id'
            ? 'Periksa kotak masuk Anda: kami mengirim tautan konfirmasi.'
            : 'Check your inbox: we sent you a link to confirm the subscription.';
        if (form)
          return message(res, snap, lang, 200, lang === 'id' ? 'Hampir selesai' : 'Almost done', text);
        return res.code(202).send({ status: 'confirmation_sent', detail: text });
      },
    );

    sub.get<{ Params: { slug: string }; Querystring: { token?: string; lang?: string } }>(
      '/status/:slug/confirm',
      cfg,
      async (req, res) => {
        const snap = page(req.params.slug);
        const lang = chooseLang(
          req.query.lang ?? null,
          req.headers['accept-language'],
          snap.model.page.language,
        );
        const token = req.query.token ?? '';
        const ok =
          TOKEN_RE.test(token) &&
          perClient.hit(`confirm:${req.ip}`, env.clock.now().getTime()) === 0 &&
          (await runVerb(env, { workspaceId: snap.model.page.workspaceId, actor: VISITOR }, (ctx) =>
            confirmSubscription(ctx, snap.model.page.id, token),
          ));
        return ok
          ? message(
              res,
              snap,
              lang,
              200,
              lang === 'id' ? 'Terkonfirmasi' : 'Confirmed',
              lang === 'id' ? 'Anda akan menerima pembaruan status.' : 'You will receive status updates.',
            )
          : message(
              res,
              snap,
              lang,
              404,
              '404',
              lang === 'id' ? 'Tautan ini tidak berlaku lagi.' : 'This link is no longer valid.',
            );
      },
    );

    // RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" to the List-Unsubscribe URL;
    // the page's own form posts the token in the body.
    sub.post<{ Params: { slug: string }; Querystring: { token?: string } }>(
      '/status/:slug/unsubscribe',
      { ...cfg, bodyLimit: 4096 },
      async (req, res) => {
        const snap = page(req.params.slug);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const token = String(req.query.token ?? body.token ?? '');
        const lang = chooseLang(
          typeof body.lang === 'string' ? body.lang : null,
          req.headers['accept-language'],
          snap.model.page.language,
        );
        const ok =
          TOKEN_RE.test(token) &&
          (await runVerb(env, { workspaceId: snap.model.page.workspaceId, actor: VISITOR }, (ctx) =>
            unsubscribe(ctx, snap.model.page.id, token),
          ));
        // Unknown and already-used tokens answer the same: the outcome the person wanted holds.
        void ok;
        return message(
          res,
          snap,
          lang,
          200,
          lang === 'id' ? 'Berhenti berlangganan' : 'Unsubscribed',
          lang === 'id'
            ? 'Anda tidak akan menerima pembaruan lagi.'
            : 'You will not receive further updates.',
        );
      },
    );
  });
}
