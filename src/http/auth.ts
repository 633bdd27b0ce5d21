import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, authenticateSession, authenticateToken, type Principal } from '../access/auth.ts';
import { requireRole } from '../access/roles.ts';
import type { AccessRole } from '../access/tables.ts';
import type { Env } from '../kernel/env.ts';
import type { Scope } from '../kernel/verb.ts';
import { Forbidden, Unauthenticated } from '../shared/errors.ts';

export const SESSION_COOKIE = 'siaga_session';
/** Cookie-authenticated writes must carry this header; a cross-site form cannot set it. */
export const CSRF_HEADER = 'x-siaga-csrf';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Least role a route needs; `public` routes take no credential. */
    access?: AccessRole | 'public';
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function makeAuthHook(env: Env) {
  return async function authenticate(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const access = req.routeOptions.config.access;
    if (access === 'public' || !req.url.startsWith('/api/')) return;
    const now = env.clock.now();
    const header = req.headers.authorization;
    let principal: Principal | null = null;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new Unauthenticated('the Authorization header must be "Bearer <token>"');
      principal = await authenticateToken(env.database.db, m[1]!, now);
      if (!principal) throw new Unauthenticated('the token is unknown, revoked or expired');
    } else {
      const cookie = req.cookies?.[SESSION_COOKIE];
      if (cookie) {
        principal = await authenticateSession(env.database.db, cookie, now);
        if (!principal) throw new Unauthenticated('the session has expired; log in again');
        if (!SAFE.has(req.method) && req.headers[CSRF_HEADER] !== '1') {
          throw new Forbidden(`cookie-authenticated changes need the ${CSRF_HEADER}: 1 header`);
        }
      }
    }
    if (!principal) throw new Unauthenticated('send "Authorization: Bearer <token>" or log in');
    requireRole(principal.role, access ?? (SAFE.has(req.method) ? 'viewer' : 'responder'));
    req.principal = principal;
  };
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Unauthenticated();
  return req.principal;
}

export function scopeOf(req: FastifyRequest): Scope {
  const p = principalOf(req);
  return { workspaceId: p.workspaceId, actor: actorOf(p) };
}
