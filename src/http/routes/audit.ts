import { z } from 'zod';
import { exportChain } from '../../audit/export.ts';
import { listAudit } from '../../audit/store.ts';
import { verifyWorkspace } from '../../audit/verify.ts';
import type { Env } from '../../kernel/env.ts';
import { principalOf } from '../auth.ts';
import type { ZApp } from '../server.ts';

const tags = ['audit'];
const Record_ = z.object({
  seq: z.number(),
  workspace_id: z.string(),
  at: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string() }),
  action: z.string(),
  subject_type: z.string(),
  subject_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  prev_hash: z.string(),
  hash: z.string(),
});

export function auditRoutes(app: ZApp, env: Env): void {
  app.get(
    '/api/v1/audit',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Audit records, newest first',
        querystring: z.strictObject({
          before: z.coerce.number().int().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
        response: { 200: z.object({ records: z.array(Record_) }) },
      },
    },
    async (req) => ({
      records: await listAudit(env.database.db, principalOf(req).workspaceId, {
        before: req.query.before,
        limit: req.query.limit ?? 100,
      }),
    }),
  );

  app.get(
    '/api/v1/audit/verify',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Recompute the hash chain and report the first broken record',
        response: {
          200: z.object({
            ok: z.boolean(),
            records: z.number(),
            head_seq: z.number().nullable(),
            problem: z.object({ seq: z.number(), kind: z.string(), message: z.string() }).optional(),
          }),
        },
      },
    },
    async (req) => {
      const r = await verifyWorkspace(env.database.db, principalOf(req).workspaceId);
      return { ok: r.ok, records: r.records, head_seq: r.headSeq, problem: r.problem };
    },
  );

  app.get(
    '/api/v1/audit/export',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'The chain as JSON Lines (application/x-ndjson)',
        produces: ['application/x-ndjson'],
      },
    },
    async (req, reply) => {
      const workspaceId = principalOf(req).workspaceId;
      reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'x-request-id': String(req.id) });
      await exportChain(env.database.db, workspaceId, (line) =>
        reply.raw.write(line) ? undefined : new Promise((r) => reply.raw.once('drain', r)),
      );
      reply.raw.end();
      return reply;
    },
  );
}
