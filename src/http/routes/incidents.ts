import { z } from 'zod';
import { findIncident, listIncidents, listTimeline, loadIncident } from '../../incidents/queries.ts';
import {
  AssignRoleInput,
  DeclareInput,
  EditInput,
  ListQuery,
  NoteInput,
  ObligationInput,
  PhaseInput,
  SeverityInput,
  StatusInput,
  TaskInput,
  TaskPatch,
  TypeInput,
  UpdateInput,
} from '../../incidents/schemas.ts';
import { declareIncident } from '../../incidents/verbs/declare.ts';
import {
  acknowledge,
  advancePhase,
  changeSeverity,
  changeStatus,
  changeType,
  editIncident,
} from '../../incidents/verbs/lifecycle.ts';
import { setObligation } from '../../incidents/verbs/obligations.ts';
import { assignRole, unassignRole } from '../../incidents/verbs/people.ts';
import { postUpdate, previewUpdate } from '../../incidents/verbs/updates.ts';
import { addNote, addTask, updateTask } from '../../incidents/verbs/work.ts';
import {
  detailView,
  IncidentDetail,
  IncidentListItem,
  listItemViews,
  TimelineEntry,
} from '../../incidents/views.ts';
import type { Env } from '../../kernel/env.ts';
import { runVerb } from '../../kernel/verb.ts';
import { principalOf, scopeOf } from '../auth.ts';
import type { ZApp } from '../server.ts';

const Ref = z.object({ ref: z.string().min(1).max(64).describe('INC-42, 42 or the incident id') });
const tags = ['incidents'];

export function incidentRoutes(app: ZApp, env: Env): void {
  const now = () => env.clock.now();
  const detail = async (workspaceId: string, ref: string) =>
    detailView(env.database.db, await loadIncident(env.database.db, workspaceId, ref), now());

  app.post(
    '/api/v1/incidents',
    {
      schema: { tags, summary: 'Declare an incident', body: DeclareInput, response: { 201: IncidentDetail } },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      const d = await runVerb(env, scope, (ctx) => declareIncident(ctx, req.body));
      return reply
        .code(201)
        .header('location', `/api/v1/incidents/${d.ref}`)
        .send(await detail(scope.workspaceId, d.id));
    },
  );

  app.get(
    '/api/v1/incidents',
    {
      schema: {
        tags,
        summary: 'List incidents: open first, most severe first',
        querystring: ListQuery,
        response: { 200: z.object({ incidents: z.array(IncidentListItem) }) },
      },
    },
    async (req) => {
      const bundles = await listIncidents(env.database.db, principalOf(req).workspaceId, req.query);
      return { incidents: await listItemViews(env.database.db, bundles, now()) };
    },
  );

  app.get(
    '/api/v1/incidents/:ref',
    {
      schema: {
        tags,
        summary: 'An incident with its roles, clocks, tasks and updates',
        params: Ref,
        response: { 200: IncidentDetail },
      },
    },
    async (req) => detail(principalOf(req).workspaceId, req.params.ref),
  );

  type VerbCtx = Parameters<Parameters<typeof runVerb>[2]>[0];
  /**
   * Every change to an incident has the same shape: run one verb as the caller, then answer with
   * the incident as it now is, so a client never needs a second request to see the result.
   */
  const change = <P extends z.ZodObject, B extends z.ZodType | undefined>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    summary: string,
    params: P,
    body: B,
    run: (ctx: VerbCtx, p: z.output<P>, b: B extends z.ZodType ? z.output<B> : undefined) => Promise<unknown>,
  ) =>
    app.route({
      method,
      url: `/api/v1/incidents/:ref${path}`,
      schema: { tags, summary, params, ...(body ? { body } : {}), response: { 200: IncidentDetail } },
      handler: async (req) => {
        const scope = scopeOf(req);
        const p = req.params as z.output<P> & { ref: string };
        await runVerb(env, scope, (ctx) => run(ctx, p, req.body as never));
        return detail(scope.workspaceId, p.ref);
      },
    });

  const Empty = z.strictObject({}).optional();
  const WithRole = Ref.extend({ role: z.string().min(1).max(64) });
  change(
    'PATCH',
    '',
    'Edit title, description, impact, services, tenants, correlation ids',
    Ref,
    EditInput,
    (ctx, p, b) => editIncident(ctx, p.ref, b),
  );
  change(
    'POST',
    '/acknowledge',
    'Acknowledge (stops escalation; records who and when for MTTA)',
    Ref,
    Empty,
    (ctx, p) => acknowledge(ctx, p.ref),
  );
  change(
    'POST',
    '/status',
    'Change status (investigating, identified, monitoring, resolved, closed; reopen)',
    Ref,
    StatusInput,
    (ctx, p, b) => changeStatus(ctx, p.ref, b.status, b.reason),
  );
  change('POST', '/severity', 'Change severity, with a reason', Ref, SeverityInput, (ctx, p, b) =>
    changeSeverity(ctx, p.ref, b.severity, b.reason),
  );
  change(
    'POST',
    '/type',
    'Change type, with a reason (adds the new type’s containment tasks)',
    Ref,
    TypeInput,
    (ctx, p, b) => changeType(ctx, p.ref, b.type, b.reason),
  );
  change('POST', '/phase', 'Enter the next phase of the plan', Ref, PhaseInput.optional(), (ctx, p, b) =>
    advancePhase(ctx, p.ref, b?.phase),
  );
  change('POST', '/notes', 'Add a note to the timeline', Ref, NoteInput, (ctx, p, b) =>
    addNote(ctx, p.ref, b.text),
  );
  change('POST', '/tasks', 'Add an ad hoc task', Ref, TaskInput, (ctx, p, b) => addTask(ctx, p.ref, b));
  change(
    'PATCH',
    '/tasks/:task',
    'Tick, assign or reschedule a task',
    Ref.extend({ task: z.uuid() }),
    TaskPatch,
    (ctx, p, b) => updateTask(ctx, p.ref, p.task, b),
  );
  change(
    'POST',
    '/updates',
    'Post an update to an audience from the plan’s template',
    Ref,
    UpdateInput,
    (ctx, p, b) => postUpdate(ctx, p.ref, b),
  );
  change('PUT', '/roles/:role', 'Give a plan role to a member', WithRole, AssignRoleInput, (ctx, p, b) =>
    assignRole(ctx, p.ref, p.role, b.user),
  );
  change('DELETE', '/roles/:role', 'Take a role back', WithRole, undefined, (ctx, p) =>
    unassignRole(ctx, p.ref, p.role),
  );
  change(
    'POST',
    '/obligations/:obligation',
    'Start, meet, waive or reopen a regulatory or contractual obligation',
    Ref.extend({ obligation: z.string().min(1).max(64) }),
    ObligationInput,
    (ctx, p, b) => setObligation(ctx, p.ref, p.obligation, b),
  );

  app.post(
    '/api/v1/incidents/:ref/updates/preview',
    {
      schema: {
        tags,
        summary: 'Render an update without posting it',
        params: Ref,
        body: UpdateInput,
        response: {
          200: z.object({
            audience: z.string(),
            template: z.string().nullable(),
            subject: z.string().nullable(),
            body: z.string(),
            fields: z.record(z.string(), z.string()),
            missing: z.array(z.string()),
            next_update_at: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      const inc = await findIncident(env.database.db, principalOf(req).workspaceId, req.params.ref);
      const c = await previewUpdate(env.database.db, inc, req.body, now(), env.publicUrl);
      return { ...c, next_update_at: c.nextUpdateAt?.toISOString() ?? null };
    },
  );

  app.get(
    '/api/v1/incidents/:ref/timeline',
    {
      schema: {
        tags,
        summary: 'The timeline in time order; `after` resumes after an entry id',
        params: Ref,
        querystring: z.strictObject({
          after: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(5000).optional(),
        }),
        response: { 200: z.object({ entries: z.array(TimelineEntry) }) },
      },
    },
    async (req) => {
      const inc = await findIncident(env.database.db, principalOf(req).workspaceId, req.params.ref);
      const rows = await listTimeline(env.database.db, inc.id, req.query);
      return {
        entries: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actor: r.actor,
          kind: r.kind,
          text: r.text,
          data: r.data,
        })),
      };
    },
  );
}
