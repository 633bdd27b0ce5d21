import { and, eq, sql } from 'drizzle-orm';
import { memberships, users } from '../access/tables.ts';
import { formatNumber } from '../incidents/model.ts';
import { lockIncident } from '../incidents/queries.ts';
import { incidentRoles } from '../incidents/tables.ts';
import { recordChange, touch } from '../incidents/timeline.ts';
import type { Ctx } from '../kernel/verb.ts';
import { commanderRole, pick, severity } from '../plans/index.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { addDuration } from '../shared/calendar.ts';
import { Conflict, InvalidInput, NotAllowed } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { buildDraft, isWritten, prefillBody } from './document.ts';
import type { PostmortemPatch } from './schemas.ts';
import { draftInput, type PostmortemRow } from './store.ts';
import { type PostmortemState, postmortems, type Reviewer } from './tables.ts';

async function lockPostmortem(ctx: Ctx, incidentId: string): Promise<PostmortemRow | undefined> {
  const [pm] = await ctx.tx
    .select()
    .from(postmortems)
    .where(eq(postmortems.incidentId, incidentId))
    .for('update');
  return pm;
}

/**
 * Creates the incident's post-mortem draft from the plan's template, pre-filled from what was
 * recorded. Resolving again after a reopen refreshes the prefilled sections nobody has edited
 * yet, so the timeline covers the whole incident; written text is never overwritten.
 */
export async function draftPostmortem(
  ctx: Ctx,
  ref: string,
  opts: { onlyWhenRequired: boolean },
): Promise<{ created: boolean; id: string } | null> {
  const inc = await lockIncident(ctx, ref);
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  const sev = severity(plan, inc.severityKey);
  if (opts.onlyWhenRequired && !sev?.postmortem?.required) return null;
  if (!plan.postmortem)
    throw new NotAllowed('the plan has no post-mortem template', [
      { field: 'postmortem', message: 'not in the plan' },
    ]);
  const input = await draftInput(ctx.tx, inc, ctx.env.publicUrl, ctx.now);
  const existing = await lockPostmortem(ctx, inc.id);
  if (existing) {
    if (existing.state !== 'draft') return { created: false, id: existing.id };
    const sections = existing.sections.map((s) => {
      if (s.prefill === 'none' || s.prefill === 'action_items' || s.body !== s.prompt) return s;
      const tpl = plan.postmortem!.template.sections.find((t) => t.key === s.key);
      const body = prefillBody(input, s.prefill, tpl?.body ? pick(tpl.body, plan.language) : '');
      return { ...s, body, prompt: body };
    });
    await ctx.tx
      .update(postmortems)
      .set({ sections, updatedAt: ctx.now, version: sql`${postmortems.version} + 1` })
      .where(eq(postmortems.id, existing.id));
    return { created: false, id: existing.id };
  }
  const draft = buildDraft(plan.postmortem, input);
  const holders = await ctx.tx
    .select({ role: incidentRoles.roleKey, userId: incidentRoles.userId })
    .from(incidentRoles)
    .where(eq(incidentRoles.incidentId, inc.id));
  const ic = commanderRole(plan)?.key;
  const author =
    holders.find((h) => h.role === ic)?.userId ?? (ctx.actor.type === 'user' ? ctx.actor.id : null);
  const reviewerIds = [
    ...new Set(holders.filter((h) => plan.postmortem!.reviewers?.includes(h.role)).map((h) => h.userId)),
  ].filter((id) => id !== author);
  const due =
    sev?.postmortem?.due && inc.resolvedAt
      ? addDuration(inc.resolvedAt, sev.postmortem.due, plan.calendar)
      : null;
  const id = newId();
  await ctx.tx.insert(postmortems).values({
    id,
    workspaceId: ctx.workspaceId,
    incidentId: inc.id,
    state: 'draft',
    title: draft.title,
    headingLevel: draft.headingLevel,
    preamble: draft.preamble,
    sections: draft.sections,
    authorId: author,
    reviewers: reviewerIds.map((user_id) => ({ user_id, approved_at: null })),
    dueAt: due,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  // Audited, not on the timeline: the timeline is the response itself, and the draft is its sequel.
  ctx.audit('postmortem.drafted', 'postmortem', id, {
    incident: inc.number,
    due_at: due?.toISOString() ?? null,
  });
  ctx.publish({ type: 'postmortem.changed', incidentId: inc.id, id });
  return { created: true, id };
}

async function memberIds(ctx: Ctx, field: string, refs: string[], indexed: boolean): Promise<string[]> {
  if (refs.length === 0) return [];
  const rows = await ctx.tx
    .select({ id: users.id, email: users.email })
    .from(users)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.workspaceId, ctx.workspaceId)),
    );
  return refs.map((r, i) => {
    const hit = rows.find((u) => u.id === r || u.email.toLowerCase() === r.toLowerCase());
    if (!hit)
      throw InvalidInput.field(
        indexed ? `${field}[${i}]` : field,
        `"${r}" is not a member of this workspace`,
      );
    return hit.id;
  });
}

export async function editPostmortem(ctx: Ctx, ref: string, patch: PostmortemPatch): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  const pm = await lockPostmortem(ctx, inc.id);
  if (!pm) throw new NotAllowed(`${formatNumber(inc.number)} has no post-mortem yet`);
  if (patch.version !== undefined && patch.version !== pm.version)
    throw new Conflict(
      `the post-mortem changed since version ${patch.version} (now ${pm.version}); reload it`,
      [{ field: 'version', message: `is ${pm.version}` }],
    );
  if (pm.state === 'published')
    throw new NotAllowed('a published post-mortem is final; reopen it as a draft first', [
      { field: 'state', message: 'published' },
    ]);
  const changed: string[] = [];
  const set: Partial<typeof postmortems.$inferInsert> = {};
  if (patch.sections) {
    const sections = pm.sections.map((s) => ({ ...s }));
    for (const [key, body] of Object.entries(patch.sections)) {
      const s = sections.find((x) => x.key === key);
      if (!s)
        throw InvalidInput.field(
          `sections.${key}`,
          `no such section; the template has ${sections.map((x) => x.key).join(', ')}`,
        );
      s.body = body;
      changed.push(`section ${key}`);
    }
    set.sections = sections;
  }
  if (patch.title !== undefined) {
    set.title = patch.title;
    changed.push('title');
  }
  if (patch.author !== undefined) {
    set.authorId = patch.author === null ? null : (await memberIds(ctx, 'author', [patch.author], false))[0]!;
    changed.push('author');
  }
  if (patch.reviewers !== undefined) {
    const ids = await memberIds(ctx, 'reviewers', patch.reviewers, true);
    set.reviewers = [...new Set(ids)].map((user_id): Reviewer => ({ user_id, approved_at: null }));
    changed.push('reviewers');
  }
  if (patch.root_causes !== undefined) {
    set.rootCauses = [...new Set(patch.root_causes.map((t) => t.toLowerCase()))];
    changed.push('root causes');
  }
  if (changed.length === 0) return;
  await ctx.tx
    .update(postmortems)
    .set({ ...set, updatedAt: ctx.now, version: sql`${postmortems.version} + 1` })
    .where(eq(postmortems.id, pm.id));
  ctx.audit('postmortem.edited', 'postmortem', pm.id, { incident: inc.number, changed });
  ctx.publish({ type: 'postmortem.changed', incidentId: inc.id, id: pm.id });
}

export const TRANSITIONS = ['submit', 'approve', 'request_changes', 'publish', 'reopen'] as const;
export type Transition = (typeof TRANSITIONS)[number];

const FROM: Record<Transition, PostmortemState[]> = {
  submit: ['draft'],
  approve: ['in_review'],
  request_changes: ['in_review'],
  publish: ['in_review'],
  reopen: ['published'],
};

/** draft → in_review (author set) → published (required sections written, every reviewer approved). */
export async function transitionPostmortem(
  ctx: Ctx,
  ref: string,
  action: Transition,
): Promise<PostmortemState> {
  const inc = await lockIncident(ctx, ref);
  const pm = await lockPostmortem(ctx, inc.id);
  if (!pm) throw new NotAllowed(`${formatNumber(inc.number)} has no post-mortem yet`);
  if (!FROM[action].includes(pm.state))
    throw new NotAllowed(
      `cannot ${action.replace('_', ' ')} a post-mortem that is ${pm.state.replace('_', ' ')}`,
      [{ field: 'state', message: pm.state }],
    );
  const set: Partial<typeof postmortems.$inferInsert> = {};
  let state = pm.state;
  if (action === 'submit') {
    if (!pm.authorId)
      throw new NotAllowed('name an author before submitting for review', [
        { field: 'author', message: 'not set' },
      ]);
    state = 'in_review';
    set.submittedAt = ctx.now;
    set.reviewers = pm.reviewers.map((r) => ({ ...r, approved_at: null }));
  } else if (action === 'approve') {
    const me = ctx.actor.id;
    const mine = pm.reviewers.find((r) => r.user_id === me);
    if (!mine)
      throw new NotAllowed('only a named reviewer can approve', [
        { field: 'reviewers', message: 'you are not one' },
      ]);
    set.reviewers = pm.reviewers.map((r) =>
      r.user_id === me ? { ...r, approved_at: ctx.now.toISOString() } : r,
    );
  } else if (action === 'request_changes') {
    state = 'draft';
  } else if (action === 'publish') {
    const missing = pm.sections.filter((s) => s.required && !isWritten(s));
    if (missing.length)
      throw new NotAllowed(
        `required sections are not written yet: ${missing.map((s) => s.title).join(', ')}`,
        missing.map((s) => ({ field: `sections.${s.key}`, message: 'required' })),
      );
    const waiting = pm.reviewers.filter((r) => !r.approved_at);
    if (waiting.length)
      throw new NotAllowed(`${waiting.length} reviewer(s) have not approved yet`, [
        { field: 'reviewers', message: 'not all approved' },
      ]);
    state = 'published';
    set.publishedAt = ctx.now;
  } else if (action === 'reopen') {
    state = 'draft';
    set.publishedAt = null;
  }
  await ctx.tx
    .update(postmortems)
    .set({ ...set, state, updatedAt: ctx.now, version: sql`${postmortems.version} + 1` })
    .where(eq(postmortems.id, pm.id));
  if (action === 'publish' || action === 'reopen') {
    // The incident's own post-mortem clock reads this column.
    await touch(ctx, inc.id, { postmortemPublishedAt: action === 'publish' ? ctx.now : null });
    await recordChange(
      ctx,
      inc,
      action === 'publish' ? 'postmortem_published' : 'postmortem_reopened',
      action === 'publish' ? 'Post-mortem published' : 'Post-mortem reopened as a draft',
      { postmortem_id: pm.id },
    );
  } else {
    ctx.audit(`postmortem.${action}`, 'postmortem', pm.id, { incident: inc.number, state });
  }
  ctx.publish({ type: 'postmortem.changed', incidentId: inc.id, id: pm.id });
  return state;
}
