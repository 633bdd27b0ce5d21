import { z } from 'zod';
import { principalOf, scopeOf } from '../http/auth.ts';
import type { ZApp } from '../http/server.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb } from '../kernel/verb.ts';
import {
  createComponent,
  createPage,
  findPage,
  listComponents,
  listPages,
  setStatuses,
  updateComponent,
  updatePage,
} from './pages.ts';
import { createMaintenance, createPublicIncident, publishUpdate } from './publish.ts';
import {
  ComponentInput,
  ComponentPatch,
  ComponentStatusInput,
  MaintenanceInput,
  PageInput,
  PagePatch,
  PublicIncidentInput,
  PublicUpdateInput,
  Slug,
  WebhookSubscriberInput,
} from './schemas.ts';
import { addWebhookSubscriber, deleteSubscriber, exportSubscribers } from './subscribers.ts';
import { ComponentView, componentView, PageView, pageView } from './views.ts';

const tags = ['statuspage'];
const P = z.object({ slug: Slug });
const PC = z.object({ slug: Slug, id: z.uuid() });
const base = '/api/v1/statuspage/pages';

/** The admin API: thin, one verb per change; the public page is served from the cache. */
export function statuspageRoutes(app: ZApp, env: Env): void {
  const db = env.database.db;
  const detail = async (workspaceId: string, slug: string) => {
    const page = await findPage(db, workspaceId, slug);
    return {
      ...pageView(page, env.publicUrl),
      components: (await listComponents(db, page.id)).map(componentView),
    };
  };
  const Detail = PageView.extend({ components: z.array(ComponentView) });

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Status pages of the workspace',
        response: { 200: z.object({ pages: z.array(PageView) }) },
      },
    },
    async (req) => ({
      pages: (await listPages(db, principalOf(req).workspaceId)).map((p) => pageView(p, env.publicUrl)),
    }),
  );

  app.post(
    base,
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Create a status page', body: PageInput, response: { 201: Detail } },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      const p = await runVerb(env, scope, (ctx) => createPage(ctx, req.body));
      return reply
        .code(201)
        .header('location', `${base}/${p.slug}`)
        .send(await detail(scope.workspaceId, p.slug));
    },
  );

  app.get(
    `${base}/:slug`,
    { schema: { tags, summary: 'A status page and its components', params: P, response: { 200: Detail } } },
    async (req) => detail(principalOf(req).workspaceId, req.params.slug),
  );

  app.patch(
    `${base}/:slug`,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Change a status page',
        params: P,
        body: PagePatch,
        response: { 200: Detail },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => updatePage(ctx, req.params.slug, req.body));
      return detail(scope.workspaceId, req.params.slug);
    },
  );

  app.post(
    `${base}/:slug/components`,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Add a component or group',
        params: P,
        body: ComponentInput,
        response: { 201: ComponentView },
      },
    },
    async (req, reply) => {
      const c = await runVerb(env, scopeOf(req), (ctx) => createComponent(ctx, req.params.slug, req.body));
      return reply.code(201).send(componentView(c));
    },
  );

  app.patch(
    `${base}/:slug/components/:id`,
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Change a component',
        params: PC,
        body: ComponentPatch,
        response: { 200: ComponentView },
      },
    },
    async (req) =>
      componentView(
        await runVerb(env, scopeOf(req), (ctx) =>
          updateComponent(ctx, req.params.slug, req.params.id, req.body),
        ),
      ),
  );

  app.put(
    `${base}/:slug/components/:id/status`,
    { schema: { tags, summary: "Set a component's status", params: PC, body: ComponentStatusInput } },
    async (req) => {
      const [changed] = await runVerb(env, scopeOf(req), async (ctx) => {
        const page = await findPage(ctx.tx, ctx.workspaceId, req.params.slug);
        return setStatuses(ctx, page.id, { [req.params.id]: req.body.status });
      });
      return changed;
    },
  );

  app.post(
    `${base}/:slug/incidents`,
    {
      schema: {
        tags,
        summary: 'Publish an incident on the page by hand',
        params: P,
        body: PublicIncidentInput,
      },
    },
    async (req, reply) => {
      const id = await runVerb(env, scopeOf(req), (ctx) =>
        createPublicIncident(ctx, req.params.slug, req.body),
      );
      return reply.code(201).send({ id });
    },
  );

  app.post(
    `${base}/:slug/incidents/:id/updates`,
    {
      schema: {
        tags,
        summary: 'Publish an update to a public incident or maintenance',
        params: PC,
        body: PublicUpdateInput,
      },
    },
    async (req, reply) => {
      const id = await runVerb(env, scopeOf(req), (ctx) =>
        publishUpdate(ctx, req.params.slug, req.params.id, req.body),
      );
      return reply.code(201).send({ id });
    },
  );

  app.post(
    `${base}/:slug/maintenances`,
    { schema: { tags, summary: 'Schedule a maintenance window', params: P, body: MaintenanceInput } },
    async (req, reply) => {
      const id = await runVerb(env, scopeOf(req), (ctx) => createMaintenance(ctx, req.params.slug, req.body));
      return reply.code(201).send({ id });
    },
  );

  app.get(
    `${base}/:slug/subscribers`,
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Export the subscribers (personal data: admins only)', params: P },
    },
    async (req) => ({
      subscribers: await exportSubscribers(db, principalOf(req).workspaceId, req.params.slug),
    }),
  );

  app.post(
    `${base}/:slug/subscribers`,
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Add a webhook subscriber', params: P, body: WebhookSubscriberInput },
    },
    async (req, reply) => {
      const s = await runVerb(env, scopeOf(req), (ctx) =>
        addWebhookSubscriber(ctx, req.params.slug, req.body),
      );
      return reply.code(201).send({ id: s.id, kind: s.kind, address: s.address });
    },
  );

  app.delete(
    `${base}/:slug/subscribers/:id`,
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Delete a subscriber and its delivery records', params: PC },
    },
    async (req, reply) => {
      await runVerb(env, scopeOf(req), (ctx) => deleteSubscriber(ctx, req.params.slug, req.params.id));
      return reply.code(204).send();
    },
  );
}
