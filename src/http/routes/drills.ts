import { z } from 'zod';
import { drillStatuses, HeldInput, recordDrill } from '../../drills/cadence.ts';
import type { Env } from '../../kernel/env.ts';
import { runVerb } from '../../kernel/verb.ts';
import { requireActivePlan } from '../../plans/store.ts';
import { principalOf, scopeOf } from '../auth.ts';
import type { ZApp } from '../server.ts';

const tags = ['drills'];
const DrillView = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.string(),
  every: z.string(),
  last_held: z.string().nullable(),
  next_due: z.string().nullable(),
  overdue: z.boolean(),
});

export function drillRoutes(app: ZApp, env: Env): void {
  const list = async (workspaceId: string) => {
    const { plan } = await requireActivePlan(env.database.db, workspaceId);
    return { drills: await drillStatuses(env.database.db, workspaceId, plan, env.clock.now()) };
  };
  app.get(
    '/api/v1/drills',
    {
      schema: {
        tags,
        summary: "The plan's drills with when each was last held and is next due",
        response: { 200: z.object({ drills: z.array(DrillView) }) },
      },
    },
    async (req) => list(principalOf(req).workspaceId),
  );
  app.post(
    '/api/v1/drills/:key/held',
    {
      schema: {
        tags,
        summary: 'Record that a drill was held (a tabletop, or a drill incident)',
        params: z.object({ key: z.string().min(1).max(64) }),
        body: HeldInput,
        response: { 201: z.object({ drills: z.array(DrillView) }) },
      },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => recordDrill(ctx, req.params.key, req.body));
      return reply.code(201).send(await list(scope.workspaceId));
    },
  );
}
