import { z } from 'zod';
import type { Env } from '../../kernel/env.ts';
import { runVerb } from '../../kernel/verb.ts';
import { diffLines, hunks, sectionChanges } from '../../plans/diff.ts';
import { parsePlan, renderPlanMarkdown } from '../../plans/index.ts';
import { applyPlan, listPlanVersions, loadPlanByNumber, requireActivePlan } from '../../plans/store.ts';
import { InvalidInput } from '../../shared/errors.ts';
import { principalOf, scopeOf } from '../auth.ts';
import type { ZApp } from '../server.ts';

const tags = ['plans'];
// A plan is a document, not a payload; a generous limit still stops accidents.
const Source = z.string().min(1).max(2_000_000);
const Problem = z.object({ path: z.string(), line: z.number(), column: z.number(), message: z.string() });
const VersionView = z.object({
  id: z.string(),
  version: z.number(),
  key: z.string(),
  name: z.string(),
  sha256: z.string(),
  comment: z.string().nullable(),
  created_at: z.string(),
  created_by: z.string(),
  active: z.boolean(),
});
const Lang = z.strictObject({ lang: z.enum(['en', 'id']).optional() });

export function planRoutes(app: ZApp, env: Env): void {
  const db = () => env.database.db;

  app.post(
    '/api/v1/plan/validate',
    {
      schema: {
        tags,
        summary: 'Validate a plan without storing it',
        body: z.strictObject({ source: Source }),
        response: { 200: z.object({ ok: z.boolean(), problems: z.array(Problem) }) },
      },
    },
    async (req) => {
      const r = parsePlan(req.body.source);
      return { ok: r.ok, problems: r.problems };
    },
  );

  app.post(
    '/api/v1/plan/versions',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Apply a plan: store it as a new version and make it active',
        body: z.strictObject({ source: Source, comment: z.string().max(500).optional() }),
        response: {
          200: z.object({ unchanged: z.boolean(), version: VersionView }),
          201: z.object({ unchanged: z.boolean(), version: VersionView }),
        },
      },
    },
    async (req, reply) => {
      const r = await runVerb(env, scopeOf(req), (ctx) => applyPlan(ctx, req.body));
      const v = r.version;
      return reply.code(r.unchanged ? 200 : 201).send({
        unchanged: r.unchanged,
        version: { ...v, created_at: v.createdAt.toISOString(), created_by: v.createdBy.name },
      });
    },
  );

  app.get(
    '/api/v1/plan/versions',
    {
      schema: {
        tags,
        summary: 'Every version of the plan, newest first',
        response: { 200: z.object({ versions: z.array(VersionView) }) },
      },
    },
    async (req) => {
      const versions = await listPlanVersions(db(), principalOf(req).workspaceId);
      return {
        versions: versions.map((v) => ({
          ...v,
          created_at: v.createdAt.toISOString(),
          created_by: v.createdBy.name,
        })),
      };
    },
  );

  const Version = z.object({ version: z.union([z.literal('active'), z.coerce.number().int().min(1)]) });
  const load = async (workspaceId: string, version: 'active' | number) =>
    version === 'active'
      ? requireActivePlan(db(), workspaceId)
      : loadPlanByNumber(db(), workspaceId, version);

  app.get(
    '/api/v1/plan/versions/:version',
    {
      schema: {
        tags,
        summary: 'One version: its YAML source and the parsed plan ("active" for the active one)',
        params: Version,
        response: {
          200: z.object({ version: z.number(), source: z.string(), plan: z.record(z.string(), z.unknown()) }),
        },
      },
    },
    async (req) => {
      const p = await load(principalOf(req).workspaceId, req.params.version);
      return { version: p.version, source: p.source, plan: p.plan as unknown as Record<string, unknown> };
    },
  );

  app.get(
    '/api/v1/plan/versions/:version/document',
    {
      schema: {
        tags,
        summary: 'The plan rendered as a readable Markdown document',
        params: Version,
        querystring: Lang,
        produces: ['text/markdown'],
      },
    },
    async (req, reply) => {
      const p = await load(principalOf(req).workspaceId, req.params.version);
      return reply
        .type('text/markdown; charset=utf-8')
        .send(renderPlanMarkdown(p.plan, req.query.lang ?? p.plan.language));
    },
  );

  const Line = z.object({
    op: z.enum(['same', 'added', 'removed']),
    text: z.string(),
    old: z.number().nullable(),
    new: z.number().nullable(),
  });
  app.get(
    '/api/v1/plan/versions/:version/diff',
    {
      schema: {
        tags,
        summary: 'What changed from an earlier version (default: the one before) to this one',
        params: Version,
        querystring: z.strictObject({
          from: z.coerce.number().int().min(1).optional().describe('The earlier version number'),
          context: z.coerce
            .number()
            .int()
            .min(0)
            .max(20)
            .optional()
            .describe('Unchanged lines around changes'),
        }),
        response: {
          200: z.object({
            from: z.number(),
            to: z.number(),
            sections: z.array(
              z.object({
                section: z.string(),
                added: z.array(z.string()),
                removed: z.array(z.string()),
                changed: z.array(z.string()),
              }),
            ),
            hunks: z.array(z.object({ old_start: z.number(), new_start: z.number(), lines: z.array(Line) })),
          }),
        },
      },
    },
    async (req) => {
      const ws = principalOf(req).workspaceId;
      const to = await load(ws, req.params.version);
      const fromNumber = req.query.from ?? to.version - 1;
      if (fromNumber < 1)
        throw InvalidInput.field('from', 'this is the first version; there is nothing before it');
      const from = await load(ws, fromNumber);
      const lines = diffLines(from.source.split('\n'), to.source.split('\n'));
      return {
        from: from.version,
        to: to.version,
        sections: sectionChanges(
          from.plan as unknown as Record<string, unknown>,
          to.plan as unknown as Record<string, unknown>,
        ),
        hunks: hunks(lines, req.query.context ?? 3),
      };
    },
  );
}
