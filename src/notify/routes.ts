import { z } from 'zod';
import { principalOf, scopeOf } from '../http/auth.ts';
import type { ZApp } from '../http/server.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb } from '../kernel/verb.ts';
import { KeySchema } from '../plans/schema/primitives.ts';
import {
  addContact,
  listContacts,
  listEndpoints,
  listRules,
  removeContact,
  setEndpoint,
  setRules,
} from './contacts.ts';
import { ContactInput, ContactView, EndpointInput, EndpointView, RulesInput, RuleView } from './schemas.ts';
import { listNotices, NoticeView } from './views.ts';

const tags = ['notify'];
type ContactRow = Awaited<ReturnType<typeof listContacts>>[number];

const contactView = (c: ContactRow) => ({
  id: c.id,
  user_id: c.userId,
  kind: c.kind,
  label: c.label,
  address: c.address,
  has_secret: c.secret !== null,
  created_at: c.createdAt.toISOString(),
});

/**
 * Contact methods and rules for oneself (/me) and, for admins, for anyone (/users/:id), plus
 * where the plan's channels post. The same handlers serve both; only whose id differs.
 */
export function notifyRoutes(app: ZApp, env: Env): void {
  const db = env.database.db;
  const ruleViews = async (workspaceId: string, userId: string) =>
    (await listRules(db, workspaceId, userId)).map((r) => ({
      id: r.id,
      contact_id: r.contactId,
      kind: r.kind,
      after_seconds: r.delaySeconds,
    }));
  const UserParam = z.object({ user: z.uuid().describe('User id') });
  const who = [
    {
      prefix: '/api/v1/me',
      access: 'viewer' as const,
      params: undefined,
      user: (req: never) => principalOf(req).userId,
    },
    {
      prefix: '/api/v1/users/:user',
      access: 'admin' as const,
      params: UserParam,
      user: (req: { params: { user: string } }) => req.params.user,
    },
  ];
  for (const w of who) {
    const userOf = w.user as (req: unknown) => string;
    const params = w.params ?? z.object({});
    app.get(
      `${w.prefix}/contacts`,
      {
        config: { access: w.access },
        schema: {
          tags,
          summary: 'Contact methods',
          params,
          response: { 200: z.object({ contacts: z.array(ContactView) }) },
        },
      },
      async (req) => ({
        contacts: (await listContacts(db, principalOf(req).workspaceId, userOf(req))).map(contactView),
      }),
    );
    app.post(
      `${w.prefix}/contacts`,
      {
        config: { access: w.access },
        schema: {
          tags,
          summary: 'Add a contact method',
          params,
          body: ContactInput,
          response: { 201: ContactView },
        },
      },
      async (req, reply) => {
        const c = await runVerb(env, scopeOf(req), (ctx) => addContact(ctx, userOf(req), req.body));
        return reply.code(201).send(contactView(c));
      },
    );
    app.delete(
      `${w.prefix}/contacts/:id`,
      {
        config: { access: w.access },
        schema: { tags, summary: 'Remove a contact method', params: params.extend({ id: z.uuid() }) },
      },
      async (req, reply) => {
        const id = (req.params as { id: string }).id;
        await runVerb(env, scopeOf(req), (ctx) => removeContact(ctx, userOf(req), id));
        return reply.code(204).send();
      },
    );
    app.get(
      `${w.prefix}/rules`,
      {
        config: { access: w.access },
        schema: {
          tags,
          summary: 'Notification rules',
          params,
          response: { 200: z.object({ rules: z.array(RuleView) }) },
        },
      },
      async (req) => ({ rules: await ruleViews(principalOf(req).workspaceId, userOf(req)) }),
    );
    app.put(
      `${w.prefix}/rules`,
      {
        config: { access: w.access },
        schema: {
          tags,
          summary: 'Replace the notification rules',
          params,
          body: RulesInput,
          response: { 200: z.object({ rules: z.array(RuleView) }) },
        },
      },
      async (req) => {
        const scope = scopeOf(req);
        await runVerb(env, scope, (ctx) => setRules(ctx, userOf(req), req.body.rules));
        return { rules: await ruleViews(scope.workspaceId, userOf(req)) };
      },
    );
  }

  app.get(
    '/api/v1/notify/channels',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Where the plan’s channels post',
        response: { 200: z.object({ channels: z.array(EndpointView) }) },
      },
    },
    async (req) => ({
      channels: (await listEndpoints(db, principalOf(req).workspaceId)).map((e) => ({
        channel_key: e.channelKey,
        drill: e.drill,
        kind: e.kind,
        address: e.address,
        has_secret: e.secret !== null,
      })),
    }),
  );
  app.put(
    '/api/v1/notify/channels/:key',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Set where a plan channel posts',
        params: z.object({ key: KeySchema }),
        body: EndpointInput,
      },
    },
    async (req, reply) => {
      await runVerb(env, scopeOf(req), (ctx) => setEndpoint(ctx, req.params.key, req.body));
      return reply.code(204).send();
    },
  );
  app.get(
    '/api/v1/notify/notices',
    {
      schema: {
        tags,
        summary: 'Notices with their deliveries and attempts, newest first',
        querystring: z.object({
          incident: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ notices: z.array(NoticeView) }) },
      },
    },
    async (req) => ({ notices: await listNotices(db, principalOf(req).workspaceId, req.query) }),
  );
}
