import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { actorOf, login, logout, type Principal } from '../../access/auth.ts';
import { listMembers, resolveMember } from '../../access/members.ts';
import { atLeast } from '../../access/roles.ts';
import { apiTokens, ROLES } from '../../access/tables.ts';
import { addUser, changePassword, issueToken, revokeToken, setMemberRole } from '../../access/verbs.ts';
import type { Env } from '../../kernel/env.ts';
import { runVerb } from '../../kernel/verb.ts';
import { Unauthenticated } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/ids.ts';
import { principalOf, SESSION_COOKIE, scopeOf } from '../auth.ts';
import type { ZApp } from '../server.ts';

const tags = ['access'];
const Me = z.object({
  user_id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  workspace_id: z.string(),
  workspace: z.string(),
  via: z.enum(['token', 'session']),
});
const Member = z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.string() });
const TokenView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(ROLES),
  user_id: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  expires_at: z.string().nullable(),
});

function meView(p: Principal): z.infer<typeof Me> {
  return {
    user_id: p.userId,
    email: p.email,
    name: p.name,
    role: p.role,
    workspace_id: p.workspaceId,
    workspace: p.workspaceSlug,
    via: p.via,
  };
}

export function accessRoutes(app: ZApp, env: Env): void {
  const db = () => env.database.db;

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Log in with e-mail and password; sets the session cookie',
        body: z.strictObject({
          email: z.string().min(3).max(320),
          password: z.string().min(1).max(1000),
          workspace: z.string().max(63).optional(),
        }),
        response: { 200: Me },
      },
    },
    async (req, reply) => {
      const r = await login(db(), req.body, env.clock.now());
      if (!r) throw new Unauthenticated('wrong e-mail or password');
      await runVerb(env, { workspaceId: r.principal.workspaceId, actor: actorOf(r.principal) }, async (ctx) =>
        ctx.audit('session.opened', 'user', r.principal.userId, { ip: req.ip }),
      );
      reply.setCookie(SESSION_COOKIE, r.secret, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: env.publicUrl.startsWith('https://'),
        expires: r.expiresAt,
      });
      return meView(r.principal);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { access: 'viewer' }, schema: { tags, summary: 'End the session' } },
    async (req, reply) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) await logout(db(), cookie);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get('/api/v1/me', { schema: { tags, summary: 'Who am I', response: { 200: Me } } }, async (req) =>
    meView(principalOf(req)),
  );

  app.put(
    '/api/v1/me/password',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Change your password (ends your other sessions)',
        body: z.strictObject({ current: z.string().min(1).max(1000), new: z.string().max(1000) }),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const cookie = req.cookies[SESSION_COOKIE];
      await runVerb(env, scopeOf(req), (ctx) =>
        changePassword(ctx, {
          userId: p.userId,
          current: req.body.current,
          next: req.body.new,
          keepSessionHash: p.via === 'session' && cookie ? sha256Hex(cookie) : undefined,
        }),
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'Members of the workspace',
        response: { 200: z.object({ users: z.array(Member) }) },
      },
    },
    async (req) => ({ users: await listMembers(db(), principalOf(req).workspaceId) }),
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Add a member (creating the account if the e-mail is new)',
        body: z.strictObject({
          email: z.email().max(320),
          name: z.string().trim().min(1).max(200),
          password: z.string().max(1000).optional(),
          role: z.enum(ROLES),
        }),
        response: { 201: Member },
      },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      const u = await runVerb(env, scope, (ctx) => addUser(ctx, req.body));
      return reply.code(201).send(await resolveMember(db(), scope.workspaceId, u.id, 'user'));
    },
  );

  app.patch(
    '/api/v1/users/:user',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: "Change a member's role",
        params: z.object({ user: z.string() }),
        body: z.strictObject({ role: z.enum(ROLES) }),
        response: { 200: Member },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      const m = await resolveMember(db(), scope.workspaceId, req.params.user, 'user');
      await runVerb(env, scope, (ctx) => setMemberRole(ctx, m.id, req.body.role));
      return resolveMember(db(), scope.workspaceId, m.id, 'user');
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      schema: {
        tags,
        summary: 'API tokens (yours; every member’s for admins)',
        response: { 200: z.object({ tokens: z.array(TokenView) }) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const rows = await db()
        .select()
        .from(apiTokens)
        .where(
          and(
            eq(apiTokens.workspaceId, p.workspaceId),
            isNull(apiTokens.revokedAt),
            atLeast(p.role, 'admin') ? undefined : eq(apiTokens.userId, p.userId),
          ),
        )
        .orderBy(desc(apiTokens.createdAt));
      return {
        tokens: rows.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          role: t.role,
          user_id: t.userId,
          created_at: t.createdAt.toISOString(),
          last_used_at: t.lastUsedAt?.toISOString() ?? null,
          expires_at: t.expiresAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: 'Issue yourself an API token (shown once)',
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          role: z.enum(ROLES).optional().describe('Narrower than your own role, if you like'),
          expires_at: z.iso.datetime({ offset: true }).optional(),
        }),
        response: {
          201: z.object({ id: z.string(), token: z.string(), prefix: z.string(), role: z.enum(ROLES) }),
        },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const t = await runVerb(env, scopeOf(req), (ctx) =>
        issueToken(ctx, {
          userId: p.userId,
          name: req.body.name,
          role: req.body.role,
          expiresAt: req.body.expires_at ? new Date(req.body.expires_at) : undefined,
        }),
      );
      return reply.code(201).send(t);
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { access: 'viewer' },
      schema: { tags, summary: 'Revoke a token', params: z.object({ id: z.uuid() }) },
    },
    async (req, reply) => {
      const p = principalOf(req);
      await runVerb(env, scopeOf(req), (ctx) => revokeToken(ctx, req.params.id, p.role, p.userId));
      return reply.code(204).send();
    },
  );
}
