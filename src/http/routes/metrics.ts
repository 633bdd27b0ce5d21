import { z } from 'zod';
import type { Env } from '../../kernel/env.ts';
import { runVerb } from '../../kernel/verb.ts';
import { OnsetInput, setOnset } from '../../metrics/onset.ts';
import { GROUPS } from '../../metrics/queries.ts';
import { dashboard, logCsv, logEntries, parsePeriod, summary } from '../../metrics/service.ts';
import { principalOf, scopeOf } from '../auth.ts';
import type { ZApp } from '../server.ts';

const tags = ['metrics'];
const PeriodQuery = z.strictObject({
  from: z
    .string()
    .max(40)
    .optional()
    .describe('Start (YYYY-MM-DD or an instant), inclusive; default a year before `to`'),
  to: z.string().max(40).optional().describe('End, exclusive; default now'),
});

export function metricsRoutes(app: ZApp, env: Env): void {
  const db = env.database.db;
  const now = () => env.clock.now();

  app.get(
    '/api/v1/metrics/summary',
    {
      schema: {
        tags,
        summary:
          'MTTD, MTTA, MTTR (mean, p50, p90, p99) and counts, per severity, type, service or month; drills excluded',
        querystring: PeriodQuery.extend({ group_by: z.enum(GROUPS).default('none') }),
      },
    },
    async (req) =>
      summary(db, principalOf(req).workspaceId, parsePeriod(req.query, now()), req.query.group_by),
  );

  app.get(
    '/api/v1/metrics/dashboard',
    {
      schema: {
        tags,
        summary:
          'Everything at once: times per severity, type, service and month, targets met, recurrence, action items',
        querystring: PeriodQuery,
      },
    },
    async (req) => dashboard(db, principalOf(req).workspaceId, parsePeriod(req.query, now()), now()),
  );

  app.get(
    '/api/v1/metrics/log',
    {
      schema: {
        tags,
        summary:
          'The incident log (date, type, severity, impact, resolution, post-mortem link) as JSON or CSV',
        querystring: PeriodQuery.extend({ format: z.enum(['json', 'csv']).optional() }),
      },
    },
    async (req, reply) => {
      const entries = await logEntries(
        db,
        principalOf(req).workspaceId,
        parsePeriod(req.query, now()),
        env.publicUrl,
      );
      const csv =
        req.query.format === 'csv' || (!req.query.format && (req.headers.accept ?? '').includes('text/csv'));
      if (csv)
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="incident-log.csv"')
          .send(logCsv(entries));
      return { entries };
    },
  );

  app.put(
    '/api/v1/incidents/:ref/onset',
    {
      schema: {
        tags,
        summary: 'When the problem began, if before detection (MTTD starts here)',
        params: z.object({ ref: z.string().min(1).max(64) }),
        body: OnsetInput,
      },
    },
    async (req, reply) => {
      await runVerb(env, scopeOf(req), (ctx) => setOnset(ctx, req.params.ref, req.body));
      return reply.code(204).send();
    },
  );
}
