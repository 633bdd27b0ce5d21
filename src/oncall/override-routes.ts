import { z } from 'zod';
import { principalOf, scopeOf } from '../http/auth.ts';
import type { ZApp } from '../http/server.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb } from '../kernel/verb.ts';
import { OverrideSchema } from './file-schema.ts';
import { addOverride, cancelOverride, listOverrides } from './overrides.ts';

const tags = ['oncall'];
const Key = z.object({ key: z.string().min(1).max(64) });
const OverrideOut = z.object({
  id: z.string(),
  user: z.string(),
  from: z.string(),
  to: z.string(),
  from_file: z.boolean(),
  created_at: z.string(),
});

/** Covers for a schedule: take one, see what is planned, take one back. */
export function overrideRoutes(app: ZApp, env: Env): void {
  app.get(
    '/api/v1/schedules/:key/overrides',
    {
      schema: {
        tags,
        summary: 'Overrides in progress or to come (or not ended by `after`), soonest first',
        params: Key,
        querystring: z.object({ after: z.iso.datetime({ offset: true }).optional() }),
        response: { 200: z.object({ overrides: z.array(OverrideOut) }) },
      },
    },
    async (req) => ({
      overrides: await listOverrides(
        env.database.db,
        principalOf(req).workspaceId,
        req.params.key,
        req.query.after ? new Date(req.query.after) : env.clock.now(),
      ),
    }),
  );

  app.post(
    '/api/v1/schedules/:key/overrides',
    {
      schema: {
        tags,
        summary: 'Cover a period for someone',
        params: Key,
        body: OverrideSchema,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) => {
      const id = await runVerb(env, scopeOf(req), (ctx) => addOverride(ctx, req.params.key, req.body));
      return reply.code(201).send({ id });
    },
  );

  app.delete(
    '/api/v1/schedules/:key/overrides/:id',
    {
      schema: {
        tags,
        summary: 'Take an override back: removed if it has not begun, ended now if it has',
        params: Key.extend({ id: z.uuid() }),
        response: { 200: z.object({ outcome: z.enum(['removed', 'ended']), to: z.string() }) },
      },
    },
    async (req) => runVerb(env, scopeOf(req), (ctx) => cancelOverride(ctx, req.params.key, req.params.id)),
  );
}
