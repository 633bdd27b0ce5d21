import { z } from 'zod';
import { formatNumber } from '../../incidents/model.ts';
import { findIncident } from '../../incidents/queries.ts';
import type { Env } from '../../kernel/env.ts';
import { runVerb } from '../../kernel/verb.ts';
import { loadPlanVersion } from '../../plans/store.ts';
import { addActionItem, findActionItem, updateActionItem } from '../../postmortems/action-items.ts';
import { linkRecurrence, listActionItems } from '../../postmortems/links.ts';
import {
  ActionItemInput,
  ActionItemPatch,
  ActionItemQuery,
  PostmortemListQuery,
  PostmortemPatch,
  RecurrenceInput,
} from '../../postmortems/schemas.ts';
import { exportMarkdown, findPostmortem, listPostmortems } from '../../postmortems/store.ts';
import {
  draftPostmortem,
  editPostmortem,
  TRANSITIONS,
  transitionPostmortem,
} from '../../postmortems/verbs.ts';
import { ActionItemView, actionItemView, PostmortemView, postmortemView } from '../../postmortems/views.ts';
import { principalOf, scopeOf } from '../auth.ts';
import type { ZApp } from '../server.ts';

const Ref = z.object({ ref: z.string().min(1).max(64).describe('INC-42, 42 or the incident id') });
const tags = ['post-mortems'];

export function postmortemRoutes(app: ZApp, env: Env): void {
  const db = env.database.db;
  const view = async (workspaceId: string, ref: string) => {
    const { inc, pm } = await findPostmortem(db, workspaceId, ref);
    const { plan } = await loadPlanVersion(db, workspaceId, inc.planVersionId);
    return postmortemView(db, plan, inc, pm);
  };

  app.get(
    '/api/v1/postmortems',
    {
      schema: {
        tags,
        summary: 'Post-mortems, by incident number',
        querystring: PostmortemListQuery,
        response: {
          200: z.object({
            postmortems: z.array(
              z.object({
                incident: z.string(),
                title: z.string(),
                state: z.string(),
                severity: z.string(),
                drill: z.boolean(),
                due_at: z.string().nullable(),
                published_at: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      postmortems: (await listPostmortems(db, principalOf(req).workspaceId, req.query.state)).map((r) => ({
        incident: formatNumber(r.number),
        title: r.pm.title,
        state: r.pm.state,
        severity: r.severity,
        drill: r.drill,
        due_at: r.pm.dueAt?.toISOString() ?? null,
        published_at: r.pm.publishedAt?.toISOString() ?? null,
      })),
    }),
  );

  app.get(
    '/api/v1/incidents/:ref/postmortem',
    {
      schema: {
        tags,
        summary: "The incident's post-mortem, its sections and the rendered document",
        params: Ref,
        response: { 200: PostmortemView },
      },
    },
    async (req) => view(principalOf(req).workspaceId, req.params.ref),
  );

  app.get(
    '/api/v1/incidents/:ref/postmortem.md',
    { schema: { tags, summary: 'The post-mortem as Markdown with YAML front matter', params: Ref } },
    async (req, reply) => {
      const ws = principalOf(req).workspaceId;
      const { inc, pm } = await findPostmortem(db, ws, req.params.ref);
      const { plan } = await loadPlanVersion(db, ws, inc.planVersionId);
      return reply.type('text/markdown; charset=utf-8').send(await exportMarkdown(db, plan, inc, pm));
    },
  );

  app.post(
    '/api/v1/incidents/:ref/postmortem',
    {
      schema: {
        tags,
        summary: 'Start a post-mortem from the plan’s template (one the severity did not require)',
        params: Ref,
        response: { 201: PostmortemView },
      },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => draftPostmortem(ctx, req.params.ref, { onlyWhenRequired: false }));
      return reply.code(201).send(await view(scope.workspaceId, req.params.ref));
    },
  );

  app.patch(
    '/api/v1/incidents/:ref/postmortem',
    {
      schema: {
        tags,
        summary: 'Edit sections (Markdown), title, author, reviewers, root-cause tags',
        params: Ref,
        body: PostmortemPatch,
        response: { 200: PostmortemView },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => editPostmortem(ctx, req.params.ref, req.body));
      return view(scope.workspaceId, req.params.ref);
    },
  );

  app.post(
    '/api/v1/incidents/:ref/postmortem/:action',
    {
      schema: {
        tags,
        summary: 'submit (draft → in review), approve, request_changes (→ draft), publish, reopen',
        params: Ref.extend({ action: z.enum(TRANSITIONS) }),
        response: { 200: PostmortemView },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => transitionPostmortem(ctx, req.params.ref, req.params.action));
      return view(scope.workspaceId, req.params.ref);
    },
  );

  app.post(
    '/api/v1/incidents/:ref/recurrence',
    {
      schema: {
        tags,
        summary: 'Mark this incident as a recurrence of an earlier one',
        params: Ref,
        body: RecurrenceInput,
      },
    },
    async (req, reply) => {
      await runVerb(env, scopeOf(req), (ctx) =>
        linkRecurrence(ctx, req.params.ref, req.body.of, req.body.note),
      );
      return reply.code(204).send();
    },
  );

  const items = async (workspaceId: string, q: z.output<typeof ActionItemQuery>) =>
    (await listActionItems(db, workspaceId, q, env.clock.now())).map((r) =>
      actionItemView(r, env.clock.now()),
    );
  const one = async (workspaceId: string, id: string) => {
    const row = await findActionItem(db, workspaceId, id);
    const inc = await findIncident(db, workspaceId, row.incidentId);
    return (await items(workspaceId, { incident: inc.id })).find((i) => i.id === id)!;
  };

  app.get(
    '/api/v1/action-items',
    {
      schema: {
        tags,
        summary: 'Action items across incidents, soonest due first',
        querystring: ActionItemQuery,
        response: { 200: z.object({ action_items: z.array(ActionItemView) }) },
      },
    },
    async (req) => ({ action_items: await items(principalOf(req).workspaceId, req.query) }),
  );

  app.post(
    '/api/v1/incidents/:ref/action-items',
    {
      schema: {
        tags,
        summary: 'Add an action item (owner, due date, priority, tracker link)',
        params: Ref,
        body: ActionItemInput,
        response: { 201: ActionItemView },
      },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      const { id } = await runVerb(env, scope, (ctx) => addActionItem(ctx, req.params.ref, req.body));
      return reply.code(201).send(await one(scope.workspaceId, id));
    },
  );

  app.patch(
    '/api/v1/action-items/:id',
    {
      schema: {
        tags,
        summary: 'Change an action item: status, owner, due date, priority, link',
        params: z.object({ id: z.uuid() }),
        body: ActionItemPatch,
        response: { 200: ActionItemView },
      },
    },
    async (req) => {
      const scope = scopeOf(req);
      await runVerb(env, scope, (ctx) => updateActionItem(ctx, req.params.id, req.body));
      return one(scope.workspaceId, req.params.id);
    },
  );
}
