import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Entry } from './cache.ts';

export type Encoding = 'br' | 'gzip' | 'identity';
export type Variant = { body: Buffer; etag: string; compressible: boolean };

/** Below this, compressing costs the client more in headers and CPU than it saves in bytes. */
const MIN_BYTES = 1024;

function accepts(accept: string, coding: string): boolean {
  for (const part of accept.split(',')) {
    const [name, ...params] = part.split(';');
    if (name!.trim().toLowerCase() !== coding) continue;
    const q = params.find((p) => p.trim().startsWith('q='));
    return !q || Number(q.trim().slice(2)) > 0;
  }
  return false;
}

// Browsers send one of a handful of Accept-Encoding strings, so the last answer is usually right.
let lastAccept = '';
let lastChoice: Encoding = 'identity';

export function pickEncoding(accept: string | undefined): Encoding {
  if (!accept) return 'identity';
  if (accept === lastAccept) return lastChoice;
  const choice: Encoding = accepts(accept, 'br') ? 'br' : accepts(accept, 'gzip') ? 'gzip' : 'identity';
  lastAccept = accept;
  lastChoice = choice;
  return choice;
}

function compress(body: Buffer, enc: 'br' | 'gzip'): Buffer {
  // Quality 5: near the best ratio for HTML at a fraction of quality 11's time, paid once per rebuild.
  return enc === 'br'
    ? brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      })
    : gzipSync(body, { level: 6 });
}

const variants = new WeakMap<Entry, Partial<Record<Encoding, Variant>>>();

/**
 * The bytes to send for an entry in one encoding, compressed on first use and kept as long as
 * the entry (so a rebuilt snapshot drops them with it). Each encoding has its own strong ETag,
 * because a cache must not answer a gzip request with brotli bytes on a 304.
 */
export function variant(e: Entry, wanted: Encoding): Variant {
  const compressible = e.body.length >= MIN_BYTES;
  const enc = compressible ? wanted : 'identity';
  let byEnc = variants.get(e);
  if (!byEnc) {
    byEnc = {};
    variants.set(e, byEnc);
  }
  let v = byEnc[enc];
  if (!v) {
    v =
      enc === 'identity'
        ? { body: e.body, etag: e.etag, compressible }
        : { body: compress(e.body, enc), etag: `${e.etag.slice(0, -1)}-${enc}"`, compressible };
    byEnc[enc] = v;
  }
  return v;
}

/** If-None-Match may list several tags or mark them weak; a GET's 304 compares weakly (RFC 9110). */
export function etagMatches(inm: string | undefined, etag: string): boolean {
  if (!inm) return false;
  if (inm === etag || inm === '*') return true;
  for (const t of inm.split(',')) {
    const s = t.trim();
    if ((s.startsWith('W/') ? s.slice(2) : s) === etag) return true;
  }
  return false;
}
