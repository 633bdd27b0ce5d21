import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { initChain } from '../audit/append.ts';
import type { Tx } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import { newId, newSecret, sha256Hex } from '../shared/ids.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
import { narrower, requireRole } from './roles.ts';
import { type AccessRole, apiTokens, memberships, sessions, users, workspaces } from './tables.ts';

export const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Creates a workspace and the head of its audit chain. Runs outside a verb (there is no
 * workspace to scope one to yet); the caller records the first audit entry in the new chain.
 */
export async function insertWorkspace(
  tx: Tx,
  input: { slug: string; name: string; now: Date },
): Promise<string> {
  if (!SLUG_RE.test(input.slug)) {
    throw InvalidInput.field('slug', 'use lower-case letters, digits and "-" (at most 63)');
  }
  const [existing] = await tx
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.slug, input.slug));
  if (existing)
    throw new Conflict(`workspace "${input.slug}" already exists`, [{ field: 'slug', message: 'taken' }]);
  const id = newId();
  await tx.insert(workspaces).values({ id, slug: input.slug, name: input.name, createdAt: input.now });
  await initChain(tx, id);
  return id;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type NewUser = { email: string; name: string; password?: string; role: AccessRole };

/** Adds a person to the workspace, creating their account if the e-mail is new. */
export async function addUser(ctx: Ctx, input: NewUser): Promise<{ id: string; email: string }> {
  const email = normaliseEmail(input.email);
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
    throw InvalidInput.field('password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  let [user] = await ctx.tx.select().from(users).where(eq(users.email, email));
  if (!user) {
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    [user] = await ctx.tx
      .insert(users)
      .values({ id: newId(), email, name: input.name, passwordHash, createdAt: ctx.now })
      .returning();
  }
  const id = user!.id;
  const [member] = await ctx.tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, id)));
  if (member)
    throw new Conflict(`${email} is already a member of this workspace`, [
      { field: 'email', message: 'taken' },
    ]);
  await ctx.tx
    .insert(memberships)
    .values({ workspaceId: ctx.workspaceId, userId: id, role: input.role, createdAt: ctx.now });
  ctx.audit('user.added', 'user', id, { email, name: input.name, role: input.role });
  return { id, email };
}

export async function setMemberRole(ctx: Ctx, userId: string, role: AccessRole): Promise<void> {
  const updated = await ctx.tx
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, userId)))
    .returning();
  if (updated.length === 0) throw new NotFound(`user ${userId}`);
  ctx.audit('user.role_changed', 'user', userId, { role });
}

export type IssuedToken = { id: string; token: string; prefix: string; role: AccessRole };

/**
 * Issues an API token for a member. The secret is returned once and only its hash is kept.
 * `secret` lets the first admin's token come from SIAGA_BOOTSTRAP_TOKEN.
 */
export async function issueToken(
  ctx: Ctx,
  input: { userId: string; name: string; role?: AccessRole; expiresAt?: Date; secret?: string },
): Promise<IssuedToken> {
  const [member] = await ctx.tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, ctx.workspaceId), eq(memberships.userId, input.userId)));
  if (!member) throw new NotFound(`user ${input.userId}`);
  const role = input.role ? narrower(input.role, member.role) : member.role;
  const token = input.secret ?? newSecret('sgt');
  if (token.length < 16) throw InvalidInput.field('token', 'must be at least 16 characters');
  const id = newId();
  const prefix = token.slice(0, 8);
  await ctx.tx.insert(apiTokens).values({
    id,
    workspaceId: ctx.workspaceId,
    userId: input.userId,
    name: input.name,
    tokenHash: sha256Hex(token),
    prefix,
    role,
    createdAt: ctx.now,
    expiresAt: input.expiresAt ?? null,
  });
  ctx.audit('token.issued', 'token', id, { name: input.name, user_id: input.userId, role, prefix });
  return { id, token, prefix, role };
}

export async function revokeToken(
  ctx: Ctx,
  tokenId: string,
  callerRole: AccessRole,
  callerUserId: string | null,
) {
  const [tok] = await ctx.tx
    .select()
    .from(apiTokens)
    .where(
      and(eq(apiTokens.id, tokenId), eq(apiTokens.workspaceId, ctx.workspaceId), isNull(apiTokens.revokedAt)),
    );
  if (!tok) throw new NotFound(`token ${tokenId}`);
  // People may revoke their own tokens; anyone else's needs an admin.
  if (tok.userId !== callerUserId) requireRole(callerRole, 'admin');
  await ctx.tx.update(apiTokens).set({ revokedAt: ctx.now }).where(eq(apiTokens.id, tokenId));
  ctx.audit('token.revoked', 'token', tokenId, { name: tok.name });
}

export const countWorkspaces = async (tx: Tx | import('../db/client.ts').Db) =>
  (await tx.select({ n: sql<number>`count(*)::int` }).from(workspaces))[0]!.n;

/**
 * Changes a member's own password after checking the current one, and ends their other
 * sessions: whoever knew the old password is logged out everywhere but here.
 */
export async function changePassword(
  ctx: Ctx,
  input: { userId: string; current: string; next: string; keepSessionHash?: string },
): Promise<void> {
  const [user] = await ctx.tx.select().from(users).where(eq(users.id, input.userId));
  if (!user) throw new NotFound(`user ${input.userId}`);
  if (!(await verifyPassword(user.passwordHash, input.current))) {
    throw InvalidInput.field('current', 'is not your current password');
  }
  if (input.next.length < MIN_PASSWORD_LENGTH) {
    throw InvalidInput.field('new', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (input.next === input.current) throw InvalidInput.field('new', 'must differ from the current password');
  await ctx.tx
    .update(users)
    .set({ passwordHash: await hashPassword(input.next) })
    .where(eq(users.id, user.id));
  const others = await ctx.tx
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, user.id),
        input.keepSessionHash ? ne(sessions.idHash, input.keepSessionHash) : undefined,
      ),
    )
    .returning({ idHash: sessions.idHash });
  ctx.audit('user.password_changed', 'user', user.id, { sessions_ended: others.length });
}
