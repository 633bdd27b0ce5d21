/**
 * Builds the responders' app (web/) into dist/web with Vite. With --if-stale it builds only
 * when the sources changed since the last build (a hash of web/ and the lock file stored beside
 * the output), so `npm start` after `npm ci` always serves a current app without rebuilding
 * every time.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const WEB_SRC = join(root, 'web');
export const WEB_OUT = join(root, 'dist', 'web');
const STAMP = join(WEB_OUT, '.source-hash');

function files(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : [p];
    })
    .sort();
}

/** The app depends on web/ and on the server types it imports; a change to either rebuilds. */
export function sourceHash(): string {
  const h = createHash('sha256');
  const inputs = [
    ...files(WEB_SRC),
    join(root, 'package-lock.json'),
    join(root, 'src/incidents/views.ts'),
    fileURLToPath(import.meta.url),
  ];
  for (const f of inputs) {
    h.update(relative(root, f));
    h.update(readFileSync(f));
  }
  return h.digest('hex');
}

export function isStale(): boolean {
  return (
    !existsSync(join(WEB_OUT, 'index.html')) ||
    !existsSync(STAMP) ||
    readFileSync(STAMP, 'utf8') !== sourceHash()
  );
}

export async function buildWeb(opts: { ifStale?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (opts.ifStale && !isStale()) return false;
  const hash = sourceHash();
  const { build } = await import('vite');
  // Vite takes NODE_ENV from the environment when it is set, and Vitest sets it to "test": an
  // app built for the browser tests was React's development build, twice the size and slower.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(WEB_SRC, 'vite.config.ts'),
      mode: 'production',
      logLevel: opts.quiet ? 'error' : 'warn',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  // Compressed once at build time, so the server sends gzip without compressing per request.
  for (const f of files(join(WEB_OUT, 'assets'))) {
    if (/\.(js|css|svg)$/.test(f)) writeFileSync(`${f}.gz`, gzipSync(readFileSync(f), { level: 9 }));
  }
  writeFileSync(STAMP, hash);
  if (!opts.quiet) process.stdout.write(`web app built into ${relative(process.cwd(), WEB_OUT) || '.'}\n`);
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWeb({ ifStale: process.argv.includes('--if-stale') });
}
