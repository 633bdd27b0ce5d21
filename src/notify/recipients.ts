import { and, eq, inArray, isNull } from 'drizzle-orm';
import { memberships, users } from '../access/tables.ts';
import { roleHolders } from '../incidents/queries.ts';
import { incidents } from '../incidents/tables.ts';
import type { Recipient } from '../kernel/ports.ts';
import type { Ctx } from '../kernel/verb.ts';
import type { Undeliverable } from './tables.ts';

export function describeRecipient(r: Recipient): string {
  if ('user' in r) return `user ${r.user}`;
  if ('role' in r) return `role ${r.role}`;
  if ('schedule' in r) return `schedule ${r.schedule}`;
  return `team ${r.team}`;
}

/**
 * Turns recipients into the workspace's active members. Whoever cannot be resolved is named with
 * the reason, so "nobody was paged" is visible rather than silent.
 */
export async function resolveRecipients(
  ctx: Ctx,
  to: Recipient[],
): Promise<{ userIds: string[]; undeliverable: Undeliverable[] }> {
  const found: string[] = [];
  const undeliverable: Undeliverable[] = [];
  for (const r of to) {
    const label = describeRecipient(r);
    let ids: string[] = [];
    if ('user' in r) ids = [r.user];
    else if ('role' in r) {
      const [inc] = await ctx.tx
        .select({ id: incidents.id })
        .from(incidents)
        .where(and(eq(incidents.id, r.incidentId), eq(incidents.workspaceId, ctx.workspaceId)));
      if (!inc) {
        undeliverable.push({ recipient: label, reason: `incident ${r.incidentId} not found` });
        continue;
      }
      ids = (await roleHolders(ctx.tx, r.incidentId)).filter((h) => h.role === r.role).map((h) => h.userId);
      if (ids.length === 0) {
        undeliverable.push({ recipient: label, reason: `nobody holds the role ${r.role} on this incident` });
        continue;
      }
    } else {
      if (!ctx.env.oncall) {
        undeliverable.push({
          recipient: label,
          reason: 'this process has no on-call directory (the oncall module is not running)',
        });
        continue;
      }
      ids = await ctx.env.oncall.resolve(ctx, r, ctx.now);
      if (ids.length === 0) {
        undeliverable.push({ recipient: label, reason: 'nobody is on call' });
        continue;
      }
    }
    const active = await activeMembers(ctx, ids);
    for (const id of ids) {
      if (active.has(id)) found.push(id);
      else
        undeliverable.push({
          recipient: label,
          reason: `user ${id} is not an active member of this workspace`,
        });
    }
  }
  return { userIds: [...new Set(found)], undeliverable };
}

async function activeMembers(ctx: Ctx, ids: string[]): Promise<Set<string>> {
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (valid.length === 0) return new Set();
  const rows = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.workspaceId, ctx.workspaceId)),
    )
    .where(and(inArray(users.id, valid), isNull(users.disabledAt)));
  return new Set(rows.map((r) => r.id));
}
