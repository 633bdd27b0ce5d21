import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ZApp } from '../http/server.ts';

/** Where `npm run build` writes the app, relative to the repository. */
export const DEFAULT_WEB_DIR = resolve(fileURLToPath(new URL('../../dist/web', import.meta.url)));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

const MISSING = `<!doctype html><meta charset="utf-8"><title>Siaga</title>
<p>The web app has not been built. Run <code>npm run build</code> (or <code>npm start</code>, which builds it when missing) and reload.</p>`;

/**
 * Serves the built app at `/`. Asset names carry a content hash, so they are cached for a year
 * and never revalidated; index.html names the current ones, so it is always revalidated.
 * The app routes in the URL fragment, so no path other than `/` and `/assets/*` belongs to it,
 * and /api, /status and the rest keep their own routes.
 */
export function staticRoutes(app: ZApp, dir: string): void {
  const hidden = { hide: true };
  app.get('/', { config: { access: 'public' }, schema: hidden }, async (_req, reply) => {
    const index = join(dir, 'index.html');
    reply.header('cache-control', 'no-cache');
    if (!existsSync(index)) return reply.code(503).type('text/html; charset=utf-8').send(MISSING);
    return reply.type('text/html; charset=utf-8').send(await readFile(index));
  });

  app.get<{ Params: { '*': string } }>(
    '/assets/*',
    { config: { access: 'public' }, schema: hidden },
    async (req, reply) => {
      const name = req.params['*'];
      // Hashed names only: letters, digits, dots, dashes, underscores; no path traversal.
      const type = TYPES[extname(name)];
      if (!/^[\w.-]+$/.test(name) || !type) return reply.callNotFound();
      const file = join(dir, 'assets', name);
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      if (gzip) {
        const packed = await readFile(`${file}.gz`).catch(() => null);
        if (packed) return reply.header('content-encoding', 'gzip').type(type).send(packed);
      }
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch {
        return reply.callNotFound();
      }
      return reply.type(type).send(body);
    },
  );
}
