/**
 * Turns a step's targets into the people to page at the instant the step runs: the holder of
 * an incident role (or whoever the on-call file names for it), whoever is on call for a
 * schedule or team, a plan contact mapped to a member, a member by e-mail.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { incidentRoles } from '../incidents/tables.ts';
import { type FileMappings, targetAt } from '../oncall/directory.ts';
import type { TargetRef } from '../oncall/model.ts';
import { memberIds } from '../oncall/store.ts';
import type { Plan } from '../plans/regimes.ts';
import type { Target } from '../plans/schema/primitives.ts';

export type Resolved = { target: Target; userIds: string[]; note?: string };

export type ResolveAt = { workspaceId: string; now: Date; plan: Plan; mappings: FileMappings };

/** The reads resolution needs; a batch answers them from one query each or from memory. */
type Lookups = {
  holder(incidentId: string, role: string): Promise<string | undefined>;
  member(email: string): Promise<string | undefined>;
  onCall(ref: TargetRef): Promise<string[]>;
};

export function describeTarget(t: Target): string {
  const [kind, key] = Object.entries(t)[0]!;
  return `${kind} ${key}`;
}

async function resolveWith(l: Lookups, at: ResolveAt, incidentId: string, t: Target): Promise<Resolved> {
  if ('audience' in t)
    return { target: t, userIds: [], note: 'audiences are told through communications, not paged' };
  if ('user' in t) {
    const id = await l.member(t.user);
    return id ? { target: t, userIds: [id] } : { target: t, userIds: [], note: `${t.user} is not a member` };
  }
  if ('schedule' in t || 'team' in t) {
    const ids = await l.onCall(t);
    return ids.length ? { target: t, userIds: ids } : { target: t, userIds: [], note: 'nobody on call' };
  }
  if ('role' in t) {
    const holder = await l.holder(incidentId, t.role);
    if (holder) return { target: t, userIds: [holder] };
    const mapped = at.mappings.roles[t.role];
    if (mapped) {
      const ids = await l.onCall(mapped);
      return ids.length
        ? { target: t, userIds: ids }
        : { target: t, userIds: [], note: 'nobody on call for the role' };
    }
    return { target: t, userIds: [], note: 'nobody holds the role and the on-call file does not map it' };
  }
  const mapped = at.mappings.contacts[t.contact];
  if (mapped) {
    const ids = await l.onCall(mapped);
    return ids.length
      ? { target: t, userIds: ids }
      : { target: t, userIds: [], note: 'nobody on call for the contact' };
  }
  const email = at.plan.contacts.find((c) => c.key === t.contact)?.email;
  if (email) {
    const id = await l.member(email);
    if (id) return { target: t, userIds: [id] };
  }
  return { target: t, userIds: [], note: 'the contact is not mapped to a member in the on-call file' };
}

function direct(db: Db, at: ResolveAt): Lookups {
  return {
    async holder(incidentId, role) {
      const [row] = await db
        .select({ userId: incidentRoles.userId })
        .from(incidentRoles)
        .where(and(eq(incidentRoles.incidentId, incidentId), eq(incidentRoles.roleKey, role)));
      return row?.userId;
    },
    member: async (email) => (await memberIds(db, at.workspaceId, [email])).get(email.toLowerCase()),
    onCall: (ref) => targetAt(db, at.workspaceId, ref, at.now),
  };
}

export function resolveTarget(db: Db, at: ResolveAt & { incidentId: string }, t: Target): Promise<Resolved> {
  return resolveWith(direct(db, at), at, at.incidentId, t);
}

/**
 * Resolution for many steps at one instant: role holders of all the incidents in one query,
 * and each member, schedule or team looked up once, since who is on call cannot differ between
 * steps that run at the same instant.
 */
export async function batchResolver(db: Db, at: ResolveAt, incidentIds: string[]) {
  const holders = new Map<string, string>();
  if (incidentIds.length > 0) {
    const rows = await db
      .select({
        incidentId: incidentRoles.incidentId,
        role: incidentRoles.roleKey,
        userId: incidentRoles.userId,
      })
      .from(incidentRoles)
      .where(inArray(incidentRoles.incidentId, [...new Set(incidentIds)]));
    for (const r of rows) holders.set(`${r.incidentId}\n${r.role}`, r.userId);
  }
  const inner = direct(db, at);
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, f: () => Promise<T>): Promise<T> => {
    const hit = memo.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const p = f();
    memo.set(key, p);
    return p;
  };
  const lookups: Lookups = {
    holder: async (incidentId, role) => holders.get(`${incidentId}\n${role}`),
    member: (email) => once(`m:${email.toLowerCase()}`, () => inner.member(email)),
    onCall: (ref) => once(`o:${JSON.stringify(ref)}`, () => inner.onCall(ref)),
  };
  return (incidentId: string, t: Target) => resolveWith(lookups, at, incidentId, t);
}
