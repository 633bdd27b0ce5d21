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

  app.patch(
    '/api/v1/incidents/:ref',
    {
      schema: {
        tags,
        summary: 'Edit title, description, impact, services, tenants, correlation ids',
        params: Ref,
        body: EditInput,
        response: { 200: IncidentDetail },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => editIncident(ctx, req.params.ref, req.body));
      return detail(scope.workspaceId, req.params.ref);
    },
  );

  const action = <B extends z.ZodType>(
    path: string,
    summary: string,
    body: B,
    run: (
      ctx: Parameters<Parameters<typeof runVerb>[2]>[0],
      ref: string,
      body: z.output<B>,
    ) => Promise<unknown>,
  ) =>
    app.post(
      `/api/v1/incidents/:ref/${path}`,
      { schema: { tags, summary, params: Ref, body, response: { 200: IncidentDetail } } },
      async (req) => {
        const scope = scopeOf(req);
        await runVerb(env, scope, (ctx) => run(ctx, req.params.ref, req.body as z.output<B>));
        return detail(scope.workspaceId, req.params.ref);
      },
    );

  const Empty = z.strictObject({}).optional();
  action('acknowledge', 'Acknowledge (stops escalation; records who and when for MTTA)', Empty, (ctx, ref) =>
    acknowledge(ctx, ref),
  );
  action(
    'status',
    'Change status (investigating, identified, monitoring, resolved, closed; reopen)',
    StatusInput,
    (ctx, ref, b) => changeStatus(ctx, ref, b.status, b.reason),
  );
  action('severity', 'Change severity, with a reason', SeverityInput, (ctx, ref, b) =>
    changeSeverity(ctx, ref, b.severity, b.reason),
  );
  action(
    'type',
    'Change type, with a reason (adds the new type’s containment tasks)',
    TypeInput,
    (ctx, ref, b) => changeType(ctx, ref, b.type, b.reason),
  );
  action('phase', 'Enter the next phase of the plan', PhaseInput.optional(), (ctx, ref, b) =>
    advancePhase(ctx, ref, b?.phase),
  );
  action('notes', 'Add a note to the timeline', NoteInput, (ctx, ref, b) => addNote(ctx, ref, b.text));
  action('tasks', 'Add an ad hoc task', TaskInput, (ctx, ref, b) => addTask(ctx, ref, b));
  action('updates', 'Post an update to an audience from the plan’s template', UpdateInput, (ctx, ref, b) =>
    postUpdate(ctx, ref, b),
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

  app.patch(
    '/api/v1/incidents/:ref/tasks/:task',
    {
      schema: {
        tags,
        summary: 'Tick, assign or reschedule a task',
        params: Ref.extend({ task: z.uuid() }),
        body: TaskPatch,
        response: { 200: IncidentDetail },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => updateTask(ctx, req.params.ref, req.params.task, req.body));
      return detail(scope.workspaceId, req.params.ref);
    },
  );

  app.put(
    '/api/v1/incidents/:ref/roles/:role',
    {
      schema: {
        tags,
        summary: 'Give a plan role to a member',
        params: Ref.extend({ role: z.string().min(1).max(64) }),
        body: AssignRoleInput,
        response: { 200: IncidentDetail },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => assignRole(ctx, req.params.ref, req.params.role, req.body.user));
      return detail(scope.workspaceId, req.params.ref);
    },
  );

  app.delete(
    '/api/v1/incidents/:ref/roles/:role',
    {
      schema: {
        tags,
        summary: 'Take a role back',
        params: Ref.extend({ role: z.string().min(1).max(64) }),
        response: { 200: IncidentDetail },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => unassignRole(ctx, req.params.ref, req.params.role));
      return detail(scope.workspaceId, req.params.ref);
    },
  );

  app.post(
    '/api/v1/incidents/:ref/obligations/:obligation',
    {
      schema: {
        tags,
        summary: 'Start, meet, waive or reopen a regulatory or contractual obligation',
        params: Ref.extend({ obligation: z.string().min(1).max(64) }),
        body: ObligationInput,
        response: { 200: IncidentDetail },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => setObligation(ctx, req.params.ref, req.params.obligation, req.body));
      return detail(scope.workspaceId, req.params.ref);
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
