import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../shared/ids.ts';
import { badgeSvg } from './badge.ts';
import type { Entry, PageSnapshot, Rendered } from './cache.ts';
import { renderAtom, renderRss } from './feeds.ts';
import {
  basePath,
  type Mount,
  renderIncident,
  renderMessage,
  renderPage,
  renderUnsubscribe,
} from './html.ts';
import { chooseLang, type Lang, STATUS_WORDS, WORDS } from './i18n.ts';
import { effectiveStatus } from './snapshot.ts';
import { statusJson, V2_NAMES, v2Documents } from './v2.ts';
import { etagMatches, pickEncoding, type Variant, variant } from './wire.ts';

export type PublicRequest = {
  method: string;
  /** Path under the page's mount, starting with "/" (or empty). */
  rest: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
};
export type PublicResponse = {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
  /** The headers plus Content-Length, for the raw front door: without it Node sends chunked. */
  wire?: Record<string, string>;
};

export const TOKEN_RE = /^sps_[A-Za-z0-9_-]{43}$/;
export const SECRET_COOKIE = 'siaga_status_key';

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const V2 = /^\/api\/v2\/([a-z/-]+\.json)$/;
const INCIDENT = /^\/incidents\/([0-9a-f-]{36})$/;
const BADGE = /^\/components\/([0-9a-f-]{36})\/badge\.svg$/;

function header(h: PublicRequest['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function cookie(h: PublicRequest['headers'], name: string): string | undefined {
  const raw = header(h, 'cookie');
  if (!raw) return undefined;
  for (const part of raw.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

function secretMatches(hash: string, given: string | undefined): boolean {
  if (!given || given.length > 200) return false;
  const a = Buffer.from(sha256Hex(given));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Answers a visitor from a page's snapshot. It never touches the database: every key it can
 * build is one of a fixed few (document × language × mount), and anything else is the cached
 * 404. The query string is read only for `lang`, `key` (private pages) and `token`.
 */
export function servePublic(snap: PageSnapshot, mount: Mount, req: PublicRequest, now: Date): PublicResponse {
  const m = snap.model;
  const q = req.query ? new URLSearchParams(req.query.slice(0, 1024)) : null;
  const lang: Lang = chooseLang(
    q?.get('lang') ?? null,
    header(req.headers, 'accept-language'),
    m.page.language,
  );
  const opts = { lang, mount, now, stale: snap.stale };
  const path = req.rest === '' || req.rest === '/index.html' ? '/' : req.rest.replace(/\/+$/, '') || '/';
  const extra: Record<string, string> = {};
  const isPrivate = m.page.secretHash !== null;
  if (isPrivate) {
    const given = q?.get('key') ?? cookie(req.headers, SECRET_COOKIE);
    if (!secretMatches(m.page.secretHash!, given ?? undefined)) {
      const e = snap.get(`private:${lang}:${mount}`, () => ({
        status: 401,
        type: HTML,
        body: renderMessage(
          m,
          opts,
          '401',
          lang === 'id' ? 'Halaman status ini privat.' : 'This status page is private.',
        ),
      }));
      return respond(e, req, { 'cache-control': 'private, no-store' }, snap, now);
    }
    if (q?.get('key'))
      extra['set-cookie'] =
        `${SECRET_COOKIE}=${encodeURIComponent(q.get('key')!)}; Path=${basePath(m, mount) || '/'}; HttpOnly; SameSite=Lax; Max-Age=2592000`;
  }
  const cache = isPrivate
    ? 'private, no-cache'
    : 'public, max-age=5, stale-while-revalidate=30, stale-if-error=86400';
  const send = (key: string, build: () => Rendered, vary = false) =>
    respond(
      snap.get(key, build),
      req,
      { 'cache-control': cache, ...(vary ? { vary: 'Accept-Language' } : {}), ...extra },
      snap,
      now,
    );
  const notFound = () =>
    send(
      `404:${lang}:${mount}`,
      () => ({ status: 404, type: HTML, body: renderMessage(m, opts, '404', WORDS[lang].notFound) }),
      true,
    );

  if (path === '/')
    return send(
      `html:${lang}:${mount}`,
      () => ({ status: 200, type: HTML, body: renderPage(m, opts) }),
      true,
    );
  const v2 = V2.exec(path);
  if (v2) {
    const name = v2[1]!;
    if (!V2_NAMES.has(name)) return notFound();
    return send(`v2:${name}`, () => ({
      status: 200,
      type: JSON_TYPE,
      body: JSON.stringify(v2Documents(m)[name]),
    }));
  }
  if (path === '/history.rss' || path === '/feed.rss')
    return send('rss', () => ({
      status: 200,
      type: 'application/rss+xml; charset=utf-8',
      body: renderRss(m),
    }));
  if (path === '/history.atom' || path === '/feed.atom')
    return send('atom', () => ({
      status: 200,
      type: 'application/atom+xml; charset=utf-8',
      body: renderAtom(m),
    }));
  if (path === '/badge.svg') {
    const s = statusJson(m);
    return send('badge', () => ({
      status: 200,
      type: 'image/svg+xml',
      body: badgeSvg(m.page.name, s.description, s.indicator),
    }));
  }
  const badge = BADGE.exec(path);
  if (badge) {
    const c = m.components.find((x) => x.id === badge[1]);
    if (!c) return notFound();
    const st = effectiveStatus(m, c);
    return send(`badge:${c.id}`, () => ({
      status: 200,
      type: 'image/svg+xml',
      body: badgeSvg(c.name, STATUS_WORDS[st].en, st),
    }));
  }
  const inc = INCIDENT.exec(path);
  if (inc) {
    const i = [...m.incidents, ...m.maintenances].find((x) => x.id === inc[1]);
    if (!i) return notFound();
    return send(
      `incident:${i.id}:${lang}:${mount}`,
      () => ({ status: 200, type: HTML, body: renderIncident(m, i, opts) }),
      true,
    );
  }
  if (path === '/unsubscribe') {
    const token = q?.get('token') ?? '';
    if (!TOKEN_RE.test(token)) return notFound();
    const e = snap.get(`unsubscribe:${lang}:${mount}`, () => ({
      status: 200,
      type: HTML,
      body: renderUnsubscribe(m, opts),
    }));
    // The token is checked against a fixed shape, so putting it into the cached form is safe.
    const body = e.body.toString().replace('__TOKEN__', token);
    return { status: 200, headers: { 'content-type': HTML, 'cache-control': 'private, no-store' }, body };
  }
  return notFound();
}

// Header objects for the common case (public page, fresh snapshot), built once per variant:
// Node only reads them, and rebuilding them was per-request work for identical bytes.
type Heads = { h: Record<string, string>; wire: Record<string, string> };
const headerCache = new WeakMap<Variant, Map<string, Heads>>();

function respond(
  e: Entry,
  req: PublicRequest,
  headers: Record<string, string>,
  snap: PageSnapshot,
  now: Date,
): PublicResponse {
  const enc = pickEncoding(header(req.headers, 'accept-encoding'));
  const v = variant(e, enc);
  const sent = v.body === e.body ? 'identity' : enc;
  const simple = !snap.stale && headers['set-cookie'] === undefined;
  const key = `${sent}|${headers['cache-control']}|${headers.vary ?? ''}`;
  let byKey = headerCache.get(v);
  let heads = simple ? byKey?.get(key) : undefined;
  if (!heads) {
    const h: Record<string, string> = { 'content-type': e.type, etag: v.etag, ...headers };
    if (v.compressible) h.vary = h.vary ? `${h.vary}, Accept-Encoding` : 'Accept-Encoding';
    if (sent !== 'identity') h['content-encoding'] = sent;
    if (snap.stale) {
      const age = Math.max(0, Math.round((now.getTime() - snap.model.builtAt.getTime()) / 1000));
      h.age = String(age);
      h['x-siaga-stale'] = snap.model.builtAt.toISOString();
    }
    heads = { h, wire: { ...h, 'content-length': String(v.body.length) } };
    if (simple) {
      if (!byKey) {
        byKey = new Map();
        headerCache.set(v, byKey);
      }
      byKey.set(key, heads);
    }
  }
  if (e.status === 200 && etagMatches(header(req.headers, 'if-none-match'), v.etag))
    return { status: 304, headers: heads.h, body: '' };
  const body = req.method === 'HEAD' ? '' : v.body;
  return { status: e.status, headers: heads.h, wire: heads.wire, body };
}
