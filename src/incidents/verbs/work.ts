import { and, eq, sql } from 'drizzle-orm';
import { resolveMember } from '../../access/members.ts';
import type { Ctx } from '../../kernel/verb.ts';
import { NotAllowed, NotFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { lockIncident } from '../queries.ts';
import { incidentTasks } from '../tables.ts';
import { recordChange, touch } from '../timeline.ts';

export async function addNote(ctx: Ctx, ref: string, text: string): Promise<string> {
  const inc = await lockIncident(ctx, ref);
  await touch(ctx, inc.id);
  return recordChange(ctx, inc, 'note', text);
}

export async function addTask(
  ctx: Ctx,
  ref: string,
  input: { title: string; assignee?: string; due_at?: Date },
): Promise<string> {
  const inc = await lockIncident(ctx, ref);
  const assignee = input.assignee
    ? await resolveMember(ctx.tx, ctx.workspaceId, input.assignee, 'assignee')
    : null;
  const [pos] = await ctx.tx
    .select({ next: sql<number>`coalesce(max(${incidentTasks.position}) + 1, 0)::int` })
    .from(incidentTasks)
    .where(eq(incidentTasks.incidentId, inc.id));
  const id = newId();
  await ctx.tx.insert(incidentTasks).values({
    id,
    incidentId: inc.id,
    source: 'adhoc',
    position: pos!.next,
    title: input.title,
    assigneeId: assignee?.id ?? null,
    dueAt: input.due_at ?? null,
    createdAt: ctx.now,
  });
  await touch(ctx, inc.id);
  await recordChange(ctx, inc, 'task_added', `Task added: ${input.title}`, {
    task_id: id,
    title: input.title,
    assignee: assignee?.email ?? null,
    due_at: input.due_at?.toISOString() ?? null,
  });
  return id;
}

export async function updateTask(
  ctx: Ctx,
  ref: string,
  taskId: string,
  patch: { done?: boolean; assignee?: string | null; due_at?: Date | null },
): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  const [task] = await ctx.tx
    .select()
    .from(incidentTasks)
    .where(and(eq(incidentTasks.id, taskId), eq(incidentTasks.incidentId, inc.id)));
  if (!task) throw new NotFound(`task ${taskId}`);
  if (patch.done === undefined && patch.assignee === undefined && patch.due_at === undefined) {
    throw new NotAllowed('nothing to change: give done, assignee or due_at');
  }
  const set: Partial<typeof incidentTasks.$inferInsert> = {};
  const changes: string[] = [];
  if (patch.done !== undefined && patch.done !== (task.doneAt !== null)) {
    set.doneAt = patch.done ? ctx.now : null;
    set.doneBy = patch.done ? ctx.actor : null;
    changes.push(patch.done ? 'done' : 'reopened');
  }
  let assigneeEmail: string | null | undefined;
  if (patch.assignee !== undefined) {
    const m =
      patch.assignee === null
        ? null
        : await resolveMember(ctx.tx, ctx.workspaceId, patch.assignee, 'assignee');
    if ((m?.id ?? null) !== task.assigneeId) {
      set.assigneeId = m?.id ?? null;
      assigneeEmail = m?.email ?? null;
      changes.push(m ? `assigned to ${m.email}` : 'unassigned');
    }
  }
  if (patch.due_at !== undefined && patch.due_at?.getTime() !== task.dueAt?.getTime()) {
    set.dueAt = patch.due_at;
    changes.push(patch.due_at ? `due ${patch.due_at.toISOString()}` : 'no due time');
  }
  if (changes.length === 0) return;
  await ctx.tx.update(incidentTasks).set(set).where(eq(incidentTasks.id, task.id));
  await touch(ctx, inc.id);
  const kind = set.doneAt ? 'task_done' : 'task_updated';
  await recordChange(ctx, inc, kind, `Task ${changes.join(', ')}: ${task.title}`, {
    task_id: task.id,
    title: task.title,
    done: patch.done,
    assignee: assigneeEmail,
    due_at: patch.due_at === undefined ? undefined : (patch.due_at?.toISOString() ?? null),
  });
}
