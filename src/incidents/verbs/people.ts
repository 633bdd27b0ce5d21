import { and, eq } from 'drizzle-orm';
import { resolveMember } from '../../access/members.ts';
import type { Ctx } from '../../kernel/verb.ts';
import { role as planRole } from '../../plans/index.ts';
import { loadPlanVersion } from '../../plans/store.ts';
import { unknownMessage } from '../../plans/suggest.ts';
import { InvalidInput, NotFound } from '../../shared/errors.ts';
import { lockIncident } from '../queries.ts';
import { incidentRoles } from '../tables.ts';
import { recordChange, touch } from '../timeline.ts';

/** Gives a plan role to a member; the role has one holder, so this replaces any previous one. */
export async function assignRole(ctx: Ctx, ref: string, roleKey: string, userRef: string): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  if (!planRole(plan, roleKey)) {
    throw InvalidInput.field(
      'role',
      unknownMessage(
        'role',
        roleKey,
        plan.roles.map((r) => r.key),
      ),
    );
  }
  const member = await resolveMember(ctx.tx, ctx.workspaceId, userRef, 'user');
  const [current] = await ctx.tx
    .select()
    .from(incidentRoles)
    .where(and(eq(incidentRoles.incidentId, inc.id), eq(incidentRoles.roleKey, roleKey)));
  if (current?.userId === member.id) return;
  if (current) {
    await ctx.tx
      .update(incidentRoles)
      .set({ userId: member.id, assignedAt: ctx.now })
      .where(and(eq(incidentRoles.incidentId, inc.id), eq(incidentRoles.roleKey, roleKey)));
  } else {
    await ctx.tx
      .insert(incidentRoles)
      .values({ incidentId: inc.id, roleKey, userId: member.id, assignedAt: ctx.now });
  }
  await touch(ctx, inc.id);
  await recordChange(ctx, inc, 'role_assigned', `${roleKey}: ${member.email}`, {
    role: roleKey,
    user_id: member.id,
    email: member.email,
    previous_user_id: current?.userId ?? null,
  });
  await ctx.emit({ type: 'incident.role_assigned', incidentId: inc.id, role: roleKey, userId: member.id });
}

export async function unassignRole(ctx: Ctx, ref: string, roleKey: string): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  const removed = await ctx.tx
    .delete(incidentRoles)
    .where(and(eq(incidentRoles.incidentId, inc.id), eq(incidentRoles.roleKey, roleKey)))
    .returning();
  if (removed.length === 0) throw new NotFound(`role ${roleKey} on this incident`);
  await touch(ctx, inc.id);
  await recordChange(ctx, inc, 'role_unassigned', `${roleKey} unassigned`, {
    role: roleKey,
    user_id: removed[0]!.userId,
  });
  await ctx.emit({ type: 'incident.role_assigned', incidentId: inc.id, role: roleKey, userId: null });
}
