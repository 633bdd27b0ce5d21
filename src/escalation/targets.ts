/**
 * Turns a step's targets into the people to page at the instant the step runs: the holder of
 * an incident role (or whoever the on-call file names for it), whoever is on call for a
 * schedule or team, a plan contact mapped to a member, a member by e-mail.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { incidentRoles } from '../incidents/tables.ts';
import { type FileMappings, targetAt } from '../oncall/directory.ts';
import { memberIds } from '../oncall/store.ts';
import type { Plan } from '../plans/regimes.ts';
import type { Target } from '../plans/schema/primitives.ts';

export type Resolved = { target: Target; userIds: string[]; note?: string };

export function describeTarget(t: Target): string {
  const [kind, key] = Object.entries(t)[0]!;
  return `${kind} ${key}`;
}

export async function resolveTarget(
  db: Db,
  at: { workspaceId: string; incidentId: string; now: Date; plan: Plan; mappings: FileMappings },
  t: Target,
): Promise<Resolved> {
  if ('audience' in t)
    return { target: t, userIds: [], note: 'audiences are told through communications, not paged' };
  if ('user' in t) {
    const ids = await memberIds(db, at.workspaceId, [t.user]);
    const id = ids.get(t.user.toLowerCase());
    return id ? { target: t, userIds: [id] } : { target: t, userIds: [], note: `${t.user} is not a member` };
  }
  if ('schedule' in t || 'team' in t) {
    const ids = await targetAt(db, at.workspaceId, t, at.now);
    return ids.length ? { target: t, userIds: ids } : { target: t, userIds: [], note: 'nobody on call' };
  }
  if ('role' in t) {
    const [holder] = await db
      .select({ userId: incidentRoles.userId })
      .from(incidentRoles)
      .where(and(eq(incidentRoles.incidentId, at.incidentId), eq(incidentRoles.roleKey, t.role)));
    if (holder) return { target: t, userIds: [holder.userId] };
    const mapped = at.mappings.roles[t.role];
    if (mapped) {
      const ids = await targetAt(db, at.workspaceId, mapped, at.now);
      return ids.length
        ? { target: t, userIds: ids }
        : { target: t, userIds: [], note: 'nobody on call for the role' };
    }
    return { target: t, userIds: [], note: 'nobody holds the role and the on-call file does not map it' };
  }
  const mapped = at.mappings.contacts[t.contact];
  if (mapped) {
    const ids = await targetAt(db, at.workspaceId, mapped, at.now);
    return ids.length
      ? { target: t, userIds: ids }
      : { target: t, userIds: [], note: 'nobody on call for the contact' };
  }
  const email = at.plan.contacts.find((c) => c.key === t.contact)?.email;
  if (email) {
    const id = (await memberIds(db, at.workspaceId, [email])).get(email.toLowerCase());
    if (id) return { target: t, userIds: [id] };
  }
  return { target: t, userIds: [], note: 'the contact is not mapped to a member in the on-call file' };
}
