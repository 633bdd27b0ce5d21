import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import { formatNumber } from '../incidents/model.ts';
import type { IncidentRow } from '../incidents/queries.ts';
import type { Plan } from '../plans/index.ts';
import { documentBody } from './document.ts';
import { recurrencesOf } from './links.ts';
import { itemLines, type PostmortemRow } from './store.ts';
import { ACTION_STATUSES, POSTMORTEM_STATES } from './tables.ts';

export const ActionItemView = z.object({
  id: z.string(),
  incident: z.string(),
  incident_title: z.string(),
  drill: z.boolean(),
  number: z.number(),
  title: z.string(),
  owner: z.string().nullable(),
  owner_label: z.string(),
  priority: z.string(),
  status: z.enum(ACTION_STATUSES),
  due_on: z.string().nullable(),
  overdue: z.boolean(),
  tracker_url: z.string().nullable(),
  completed_at: z.string().nullable(),
  reminded_at: z.string().nullable(),
});

type ItemRow = {
  id: string;
  incidentNumber: number;
  incidentTitle: string;
  drill: boolean;
  number: number;
  title: string;
  ownerEmail: string | null;
  ownerLabel: string;
  priority: string;
  status: (typeof ACTION_STATUSES)[number];
  dueOn: string | null;
  dueAt: Date | null;
  trackerUrl: string | null;
  completedAt: Date | null;
  remindedAt: Date | null;
};

export function actionItemView(r: ItemRow, now: Date): z.infer<typeof ActionItemView> {
  const open = r.status === 'open' || r.status === 'in_progress';
  return {
    id: r.id,
    incident: formatNumber(r.incidentNumber),
    incident_title: r.incidentTitle,
    drill: r.drill,
    number: r.number,
    title: r.title,
    owner: r.ownerEmail,
    owner_label: r.ownerLabel,
    priority: r.priority,
    status: r.status,
    due_on: r.dueOn,
    overdue: open && r.dueAt !== null && r.dueAt <= now,
    tracker_url: r.trackerUrl,
    completed_at: r.completedAt?.toISOString() ?? null,
    reminded_at: r.remindedAt?.toISOString() ?? null,
  };
}

export const PostmortemView = z.object({
  id: z.string(),
  incident: z.string(),
  state: z.enum(POSTMORTEM_STATES),
  title: z.string(),
  author: z.string().nullable(),
  reviewers: z.array(z.object({ email: z.string(), approved_at: z.string().nullable() })),
  root_causes: z.array(z.string()),
  recurrence_of: z.array(z.object({ incident: z.string(), title: z.string() })),
  due_at: z.string().nullable(),
  published_at: z.string().nullable(),
  version: z.number(),
  sections: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      body: z.string(),
      prefill: z.string(),
      required: z.boolean(),
    }),
  ),
  markdown: z.string(),
});

export async function postmortemView(db: Db, plan: Plan, inc: IncidentRow, pm: PostmortemRow) {
  const ids = [pm.authorId, ...pm.reviewers.map((r) => r.user_id)].filter((x): x is string => !!x);
  const people = ids.length
    ? await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, ids))
    : [];
  const email = (id: string | null) => people.find((p) => p.id === id)?.email ?? null;
  const items = await itemLines(db, inc.id);
  return {
    id: pm.id,
    incident: formatNumber(inc.number),
    state: pm.state,
    title: pm.title,
    author: email(pm.authorId),
    reviewers: pm.reviewers.map((r) => ({
      email: email(r.user_id) ?? r.user_id,
      approved_at: r.approved_at,
    })),
    root_causes: pm.rootCauses,
    recurrence_of: (await recurrencesOf(db, inc.id)).map((r) => ({
      incident: formatNumber(r.number),
      title: r.title,
    })),
    due_at: pm.dueAt?.toISOString() ?? null,
    published_at: pm.publishedAt?.toISOString() ?? null,
    version: pm.version,
    sections: pm.sections.map(({ key, title, body, prefill, required }) => ({
      key,
      title,
      body,
      prefill,
      required,
    })),
    markdown: documentBody(plan.postmortem!, pm, items),
  };
}
