import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../audit/tables.ts';
import type { Db } from '../db/client.ts';
import type { ClockFacts } from './clocks.ts';
import type { IncidentRow } from './queries.ts';
import { incidents } from './tables.ts';

export type RoleHolder = { role: string; userId: string; email: string; name: string; assignedAt: Date };
export type TaskItem = {
  id: string;
  source: string;
  sourceKey: string | null;
  title: string;
  titleI18n: { en?: string; id?: string } | null;
  roleKey: string | null;
  assigneeEmail: string | null;
  dueAt: Date | null;
  doneAt: Date | null;
  doneBy: Actor | null;
};
export type UpdateItem = {
  id: string;
  audience: string;
  templateKey: string | null;
  subject: string | null;
  body: string;
  fields: Record<string, string>;
  statusAtPost: string;
  postedAt: Date;
  postedBy: Actor;
  nextUpdateDueAt: Date | null;
};

/** An incident with everything its views and clocks need, loaded in one statement. */
export type Bundle = {
  row: IncidentRow;
  roles: RoleHolder[];
  phases: ClockFacts['phases'];
  updates: UpdateItem[];
  obligations: ClockFacts['obligations'];
  openTasks: number;
  tasks: TaskItem[];
};

const d = (v: string | null | undefined) => (v ? new Date(v) : null);
// Qualified by hand: inside a select list Drizzle prints a column without its table, which the
// correlated subqueries below would read as their own table's id.
const ID = sql.raw('"incidents"."id"');

// Each part is a correlated json_agg subquery: one round trip per page of incidents instead of
// one per part per incident, which is what a list view of 50 incidents would otherwise cost.
const roles = sql`(SELECT coalesce(json_agg(json_build_object('role', r.role_key, 'user_id', u.id, 'email', u.email,
  'name', u.name, 'assigned_at', r.assigned_at) ORDER BY r.role_key), '[]'::json)
  FROM incident_roles r JOIN users u ON u.id = r.user_id WHERE r.incident_id = ${ID})`;
const phases = sql`(SELECT coalesce(json_agg(json_build_object('key', p.phase_key, 'entered_at', p.entered_at,
  'completed_at', p.completed_at) ORDER BY p.entered_at), '[]'::json)
  FROM incident_phases p WHERE p.incident_id = ${ID})`;
const updateFields = (full: boolean) =>
  full
    ? sql`'id', x.id, 'template', x.template_key, 'subject', x.subject, 'body', x.body, 'fields', x.fields,
      'status_at_post', x.status_at_post, 'posted_by', x.posted_by,`
    : sql``;
const updates = (full: boolean) => sql`(SELECT coalesce(json_agg(json_build_object(${updateFields(full)}
  'audience', x.audience, 'posted_at', x.posted_at, 'next_update_due_at', x.next_update_due_at)
  ORDER BY x.posted_at), '[]'::json) FROM incident_updates x WHERE x.incident_id = ${ID})`;
const obligations = sql`(SELECT coalesce(json_agg(json_build_object('key', o.obligation_key, 'started_at', o.started_at,
  'met_at', o.met_at, 'waived_at', o.waived_at)), '[]'::json)
  FROM incident_obligations o WHERE o.incident_id = ${ID})`;
const openTasks = sql`(SELECT count(*)::int FROM incident_tasks t WHERE t.incident_id = ${ID} AND t.done_at IS NULL)`;
const tasks = sql`(SELECT coalesce(json_agg(json_build_object('id', t.id, 'source', t.source, 'source_key', t.source_key,
  'title', t.title, 'title_i18n', t.title_i18n, 'role', t.role_key, 'assignee', u.email, 'due_at', t.due_at,
  'done_at', t.done_at, 'done_by', t.done_by) ORDER BY t.position), '[]'::json)
  FROM incident_tasks t LEFT JOIN users u ON u.id = t.assignee_id WHERE t.incident_id = ${ID})`;

type Json = Record<string, unknown>;

export async function loadBundles(
  db: Db,
  where: SQL,
  opts: { full: boolean; orderBy?: SQL[]; limit?: number },
): Promise<Bundle[]> {
  let q = db
    .select({
      ...getTableColumns(incidents),
      _roles: roles.as('_roles'),
      _phases: phases.as('_phases'),
      _updates: updates(opts.full).as('_updates'),
      _obligations: obligations.as('_obligations'),
      _open: openTasks.mapWith(Number).as('_open'),
      _tasks: (opts.full ? tasks : sql`'[]'::json`).as('_tasks'),
    })
    .from(incidents)
    .where(where)
    .$dynamic();
  if (opts.orderBy) q = q.orderBy(...opts.orderBy);
  if (opts.limit) q = q.limit(opts.limit);
  const rows = await q;
  // node-postgres parses json columns; PGlite may hand back text.
  const json = (v: unknown): Json[] => (typeof v === 'string' ? JSON.parse(v) : (v as Json[]));
  return rows.map((r) => {
    const { _roles, _phases, _updates, _obligations, _open, _tasks, ...row } = r;
    return {
      row: row as IncidentRow,
      roles: json(_roles).map((x) => ({
        role: x.role as string,
        userId: x.user_id as string,
        email: x.email as string,
        name: x.name as string,
        assignedAt: new Date(x.assigned_at as string),
      })),
      phases: json(_phases).map((x) => ({
        key: x.key as string,
        enteredAt: new Date(x.entered_at as string),
        completedAt: d(x.completed_at as string | null),
      })),
      updates: json(_updates).map((x) => ({
        id: (x.id as string) ?? '',
        audience: x.audience as string,
        templateKey: (x.template as string | null) ?? null,
        subject: (x.subject as string | null) ?? null,
        body: (x.body as string) ?? '',
        fields: (x.fields as Record<string, string>) ?? {},
        statusAtPost: (x.status_at_post as string) ?? '',
        postedAt: new Date(x.posted_at as string),
        postedBy: (x.posted_by as Actor) ?? { type: 'system', id: null, name: '' },
        nextUpdateDueAt: d(x.next_update_due_at as string | null),
      })),
      obligations: json(_obligations).map((x) => ({
        key: x.key as string,
        startedAt: d(x.started_at as string | null),
        metAt: d(x.met_at as string | null),
        waivedAt: d(x.waived_at as string | null),
      })),
      openTasks: Number(_open),
      tasks: json(_tasks).map((x) => ({
        id: x.id as string,
        source: x.source as string,
        sourceKey: (x.source_key as string | null) ?? null,
        title: x.title as string,
        titleI18n: (x.title_i18n as TaskItem['titleI18n']) ?? null,
        roleKey: (x.role as string | null) ?? null,
        assigneeEmail: (x.assignee as string | null) ?? null,
        dueAt: d(x.due_at as string | null),
        doneAt: d(x.done_at as string | null),
        doneBy: (x.done_by as Actor | null) ?? null,
      })),
    };
  });
}

export function factsOf(b: Bundle): ClockFacts {
  const r = b.row;
  return {
    severityKey: r.severityKey,
    typeKey: r.typeKey,
    status: r.status,
    detectedAt: r.detectedAt,
    declaredAt: r.declaredAt,
    acknowledgedAt: r.acknowledgedAt,
    resolvedAt: r.resolvedAt,
    postmortemPublishedAt: r.postmortemPublishedAt,
    phases: b.phases,
    updates: b.updates.map((u) => ({
      audience: u.audience,
      postedAt: u.postedAt,
      nextUpdateDueAt: u.nextUpdateDueAt,
    })),
    obligations: b.obligations,
  };
}
