import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';
import { InvalidInput } from '../shared/errors.ts';
import { UUID_RE } from '../shared/ids.ts';
import { memberships, users } from './tables.ts';

export type Member = { id: string; email: string; name: string; role: string };

/** Finds a member of the workspace by e-mail or id; `field` names the input in the error. */
export async function resolveMember(
  db: Db | Tx,
  workspaceId: string,
  ref: string,
  field: string,
): Promise<Member> {
  const byId = UUID_RE.test(ref);
  const [m] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: memberships.role })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)))
    .where(byId ? eq(users.id, ref) : eq(users.email, ref.trim().toLowerCase()));
  if (!m) throw InvalidInput.field(field, `"${ref}" is not a member of this workspace`);
  return m;
}

export async function listMembers(db: Db, workspaceId: string): Promise<Member[]> {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: memberships.role })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)))
    .orderBy(users.email);
}
