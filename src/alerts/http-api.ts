import { z } from 'zod';
import { principalOf, scopeOf } from '../http/auth.ts';
import type { ZApp } from '../http/server.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb } from '../kernel/verb.ts';
import { WebhookMapping } from '../plans/schema/webhook-mapping.ts';
import {
  createIntegration,
  listIntegrations,
  rotateIntegration,
  setIntegrationEnabled,
  setIntegrationMapping,
} from './integrations.ts';
import { findAlert, incidentAlertList, listAlerts } from './queries.ts';
import {
  createSilence,
  expireSilence,
  listSilences,
  SilenceInput,
  SilenceView,
  silenceView,
} from './silences.ts';
import { INTEGRATION_TYPES } from './tables.ts';
import {
  AlertDetail,
  AlertView,
  alertView,
  IntegrationView,
  IntegrationWithSecret,
  integrationView,
  withSecret,
} from './views.ts';

const Name = z.object({ name: z.string().min(1).max(100) });
const CreateInput = z.strictObject({
  type: z.enum(INTEGRATION_TYPES).describe('What sends to it'),
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, ".", "_" or "-", up to 63')
    .describe('A name for people and for the CLI'),
  mapping: WebhookMapping.optional().describe(
    'Required for type webhook: where its fields are in the posted JSON',
  ),
});
const AlertQuery = z.strictObject({
  status: z.enum(['firing', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `settle` writes repeats the intake answered from memory, so the reads below count them. */
export function alertApiRoutes(app: ZApp, env: Env, settle: () => Promise<void> = async () => {}): void {
  const tags = ['integrations'];
  const admin = { access: 'admin' as const };
  app.post(
    '/api/v1/integrations',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create an integration and its secret',
        body: CreateInput,
        response: { 201: IntegrationWithSecret },
      },
    },
    async (req, reply) => {
      const r = await runVerb(env, scopeOf(req), (ctx) => createIntegration(ctx, req.body));
      return reply.code(201).send(withSecret(env.publicUrl, r.row, r.secret));
    },
  );
  app.get(
    '/api/v1/integrations',
    {
      config: admin,
      schema: {
        tags,
        summary: 'List integrations',
        response: { 200: z.object({ integrations: z.array(IntegrationView) }) },
      },
    },
    async (req) => ({
      integrations: (await listIntegrations(env.database.db, principalOf(req).workspaceId)).map(
        integrationView,
      ),
    }),
  );
  app.post(
    '/api/v1/integrations/:name/rotate',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Replace the secret; the old one stops working',
        params: Name,
        response: { 200: IntegrationWithSecret },
      },
    },
    async (req) => {
      const r = await runVerb(env, scopeOf(req), (ctx) => rotateIntegration(ctx, req.params.name));
      return withSecret(env.publicUrl, r.row, r.secret);
    },
  );
  app.put(
    '/api/v1/integrations/:name/mapping',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change how a webhook integration reads its posts',
        params: Name,
        body: WebhookMapping,
        response: { 200: IntegrationView },
      },
    },
    async (req) =>
      integrationView(
        await runVerb(env, scopeOf(req), (ctx) => setIntegrationMapping(ctx, req.params.name, req.body)),
      ),
  );
  for (const [verb, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(
      `/api/v1/integrations/:name/${verb}`,
      {
        config: admin,
        schema: { tags, summary: `${verb} an integration`, params: Name, response: { 200: IntegrationView } },
      },
      async (req) =>
        integrationView(
          await runVerb(env, scopeOf(req), (ctx) => setIntegrationEnabled(ctx, req.params.name, enabled)),
        ),
    );
  }

  const alertTags = ['alerts'];
  app.get(
    '/api/v1/alerts',
    {
      schema: {
        tags: alertTags,
        summary: 'Alerts, newest first (by when each was first seen)',
        querystring: AlertQuery,
        response: { 200: z.object({ alerts: z.array(AlertView) }) },
      },
    },
    async (req) => {
      await settle();
      return {
        alerts: (await listAlerts(env.database.db, principalOf(req).workspaceId, req.query)).map(alertView),
      };
    },
  );
  app.get(
    '/api/v1/alerts/:id',
    {
      schema: {
        tags: alertTags,
        summary: 'An alert with its raw payload',
        params: z.object({ id: z.string() }),
        response: { 200: AlertDetail },
      },
    },
    async (req) => {
      await settle();
      const a = await findAlert(env.database.db, principalOf(req).workspaceId, req.params.id);
      return { ...alertView(a), raw: a.raw };
    },
  );
  app.get(
    '/api/v1/incidents/:ref/alerts',
    {
      schema: {
        tags: alertTags,
        summary: 'The alerts linked to an incident',
        params: z.object({ ref: z.string().min(1).max(64) }),
        response: { 200: z.object({ alerts: z.array(AlertView) }) },
      },
    },
    async (req) => {
      await settle();
      return {
        alerts: (await incidentAlertList(env.database.db, principalOf(req).workspaceId, req.params.ref)).map(
          alertView,
        ),
      };
    },
  );
}

export function silenceRoutes(app: ZApp, env: Env): void {
  const tags = ['alerts'];
  const now = () => env.clock.now();
  app.post(
    '/api/v1/silences',
    {
      schema: {
        tags,
        summary: 'Silence matching alerts (or declare a maintenance window)',
        body: SilenceInput,
        response: { 201: SilenceView },
      },
    },
    async (req, reply) => {
      const s = await runVerb(env, scopeOf(req), (ctx) => createSilence(ctx, req.body));
      return reply.code(201).send(silenceView(s, now()));
    },
  );
  app.get(
    '/api/v1/silences',
    {
      schema: {
        tags,
        summary: 'Silences and maintenance windows',
        response: { 200: z.object({ silences: z.array(SilenceView) }) },
      },
    },
    async (req) => ({
      silences: (await listSilences(env.database.db, principalOf(req).workspaceId)).map((s) =>
        silenceView(s, now()),
      ),
    }),
  );
  app.post(
    '/api/v1/silences/:id/expire',
    {
      schema: {
        tags,
        summary: 'End a silence now',
        params: z.object({ id: z.string() }),
        response: { 200: SilenceView },
      },
    },
    async (req) =>
      silenceView(await runVerb(env, scopeOf(req), (ctx) => expireSilence(ctx, req.params.id)), now()),
  );
}
