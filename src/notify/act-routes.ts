import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendProblem, toProblem } from '../http/problem.ts';
import type { ZApp } from '../http/server.ts';
import type { Env } from '../kernel/env.ts';
import { inspectLink, type LinkFacts, spendLink } from './act.ts';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1.1rem;padding:.6rem 1.4rem}</style></head><body>${body}</body></html>`;
}

const verbOf = (f: LinkFacts) => (f.action === 'acknowledge' ? 'Acknowledge' : 'Resolve');

/** Browsers get a page; scripts asking for JSON get problem+json, like the rest of the API. */
function fail(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const p = toProblem(err, req);
  if (p.status >= 500) req.log.error({ err }, 'action link failed');
  if (!String(req.headers.accept ?? '').includes('text/html')) return sendProblem(reply, p);
  return reply
    .code(p.status)
    .type('text/html; charset=utf-8')
    .send(page(p.title, `<h1>${esc(p.title)}</h1><p>${esc(p.detail)}</p>`));
}

/**
 * One-click links from pages. GET only shows what the link would do: mail scanners and chat
 * unfurlers fetch links, and must not acknowledge anything. The button POSTs back to the same URL.
 */
export async function actRoutes(app: ZApp, env: Env): Promise<void> {
  await app.register(async (plain) => {
    const scoped = plain.withTypeProvider<ZodTypeProvider>();
    // The confirmation form posts an empty urlencoded body; everything is in the signed URL.
    scoped.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, _body, done) => done(null, {}),
    );
    const params = z.object({ token: z.string().min(1).max(1000) });
    scoped.get(
      '/notify/act/:token',
      { config: { access: 'public' }, schema: { hide: true, params } },
      async (req, reply) => {
        try {
          const f = await inspectLink(env.database.db, env, req.params.token);
          const note =
            f.acknowledged && f.action === 'acknowledge' ? '<p>It is already acknowledged.</p>' : '';
          return reply
            .type('text/html; charset=utf-8')
            .header('cache-control', 'no-store')
            .send(
              page(
                `${verbOf(f)} ${f.ref}`,
                `<h1>${verbOf(f)} ${esc(f.ref)}?</h1><p>${esc(f.title)} — ${esc(f.status)}</p>${note}<form method="post"><button type="submit">${verbOf(f)}</button></form>`,
              ),
            );
        } catch (err) {
          return fail(err, req, reply);
        }
      },
    );
    scoped.post(
      '/notify/act/:token',
      { config: { access: 'public' }, schema: { hide: true, params } },
      async (req, reply) => {
        try {
          const r = await spendLink(env, req.params.token);
          const done =
            r.action === 'acknowledge' ? (r.changed ? 'Acknowledged' : 'Already acknowledged') : 'Resolved';
          if (!String(req.headers.accept ?? '').includes('text/html')) {
            return { incident: r.ref, action: r.action, changed: r.changed };
          }
          return reply
            .type('text/html; charset=utf-8')
            .send(page(`${done} ${r.ref}`, `<h1>${done}: ${esc(r.ref)}</h1><p>${esc(r.title)}</p>`));
        } catch (err) {
          return fail(err, req, reply);
        }
      },
    );
  });
}
