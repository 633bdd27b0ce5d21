import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { principalOf } from '../http/auth.ts';
import type { ZApp } from '../http/server.ts';
import { findIncident } from '../incidents/queries.ts';
import type { Env } from '../kernel/env.ts';
import { fileMappings } from '../oncall/directory.ts';
import { emailsOf } from '../oncall/store.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { describePolicy } from './engine.ts';
import { escalationPages, escalationSteps, escalations } from './tables.ts';
import { describeTarget, resolveTarget } from './targets.ts';

const Ref = z.object({ ref: z.string().min(1).max(64).describe('INC-42, 42 or the incident id') });
const tags = ['escalation'];

const Step = z.object({
  generation: z.number(),
  round: z.number(),
  position: z.number(),
  label: z.string().nullable(),
  condition: z.string(),
  targets: z.array(z.string()),
  due_at: z.string().nullable(),
  state: z.string(),
  ran_at: z.string().nullable(),
  outcome: z.string().nullable(),
});
const EscalationView = z.object({
  state: z.enum(['none', 'active', 'stopped', 'exhausted']),
  policy: z.string().nullable(),
  started_at: z.string().nullable(),
  stop_reason: z.string().nullable(),
  steps: z.array(Step),
  pages: z.array(z.object({ dedup_key: z.string(), paged_at: z.string(), recipients: z.array(z.string()) })),
});
const OnCallView = z.object({
  at: z.string(),
  targets: z.array(
    z.object({
      step: z.string(),
      target: z.string(),
      people: z.array(z.string()),
      note: z.string().nullable(),
    }),
  ),
});

export function escalationRoutes(app: ZApp, env: Env): void {
  const db = env.database.db;
  app.get(
    '/api/v1/incidents/:ref/escalation',
    {
      schema: {
        tags,
        summary: 'The incident’s escalation: policy, steps, pages',
        params: Ref,
        response: { 200: EscalationView },
      },
    },
    async (req) => {
      const inc = await findIncident(db, principalOf(req).workspaceId, req.params.ref);
      const [esc] = await db.select().from(escalations).where(eq(escalations.incidentId, inc.id));
      if (!esc)
        return {
          state: 'none' as const,
          policy: null,
          started_at: null,
          stop_reason: null,
          steps: [],
          pages: [],
        };
      const steps = await db
        .select()
        .from(escalationSteps)
        .where(eq(escalationSteps.escalationId, esc.id))
        .orderBy(asc(escalationSteps.generation), asc(escalationSteps.round), asc(escalationSteps.position));
      const pages = await db
        .select()
        .from(escalationPages)
        .where(eq(escalationPages.incidentId, inc.id))
        .orderBy(asc(escalationPages.pagedAt));
      const people = await emailsOf(
        db,
        pages.flatMap((p) => p.recipients),
      );
      return {
        state: esc.state,
        policy: describePolicy(esc.policy),
        started_at: esc.startedAt.toISOString(),
        stop_reason: esc.stopReason,
        steps: steps.map((s) => ({
          generation: s.generation,
          round: s.round,
          position: s.position,
          label: s.label,
          condition: s.condition,
          targets: s.targets.map(describeTarget),
          due_at: s.dueAt?.toISOString() ?? null,
          state: s.state,
          ran_at: s.ranAt?.toISOString() ?? null,
          outcome: s.outcome,
        })),
        pages: pages.map((p) => ({
          dedup_key: p.dedupKey,
          paged_at: p.pagedAt.toISOString(),
          recipients: p.recipients.map((id) => people.get(id)?.email ?? id),
        })),
      };
    },
  );

  app.get(
    '/api/v1/incidents/:ref/oncall',
    {
      schema: {
        tags,
        summary: 'Who the incident’s escalation reaches right now',
        params: Ref,
        response: { 200: OnCallView },
      },
    },
    async (req) => {
      const ws = principalOf(req).workspaceId;
      const inc = await findIncident(db, ws, req.params.ref);
      const now = env.clock.now();
      const [esc] = await db.select().from(escalations).where(eq(escalations.incidentId, inc.id));
      if (!esc) return { at: now.toISOString(), targets: [] };
      const { plan } = await loadPlanVersion(db, ws, inc.planVersionId);
      const mappings = await fileMappings(db, ws);
      const at = { workspaceId: ws, incidentId: inc.id, now, plan, mappings };
      const out = [];
      for (const [i, s] of esc.policy.steps.entries()) {
        for (const t of s.notify) {
          const r = await resolveTarget(db, at, t);
          const people = await emailsOf(db, r.userIds);
          const label =
            typeof s.label === 'string' ? s.label : (s.label?.en ?? s.label?.id ?? `step ${i + 1}`);
          out.push({
            step: label,
            target: describeTarget(t),
            people: r.userIds.map((id) => people.get(id)?.email ?? id),
            note: r.note ?? null,
          });
        }
      }
      return { at: now.toISOString(), targets: out };
    },
  );
}
