import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Actor } from '../audit/tables.ts';
import type { Db } from '../db/client.ts';
import { newSecret, sha256Hex } from '../shared/ids.ts';
import { verifyPassword } from './passwords.ts';
import { narrower } from './roles.ts';
import { type AccessRole, apiTokens, memberships, sessions, users, workspaces } from './tables.ts';

/** The authenticated caller of a request: who, in which workspace, with which role. */
export type Principal = {
  workspaceId: string;
  workspaceSlug: string;
  userId: string;
  email: string;
  name: string;
  role: AccessRole;
  via: 'token' | 'session';
  tokenId?: string;
};

export function actorOf(p: Principal): Actor {
  return { type: 'user', id: p.userId, name: p.email };
}

export const SESSION_TTL_MS = 12 * 3600_000;
// Writing last_used_at on every request would turn reads into writes; once a minute is enough.
const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateToken(db: Db, token: string, now: Date): Promise<Principal | null> {
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      tokenRole: apiTokens.role,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      workspaceId: apiTokens.workspaceId,
      workspaceSlug: workspaces.slug,
      userId: users.id,
      email: users.email,
      name: users.name,
      memberRole: memberships.role,
      disabledAt: users.disabledAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(workspaces, eq(workspaces.id, apiTokens.workspaceId))
    .innerJoin(
      memberships,
      and(eq(memberships.userId, apiTokens.userId), eq(memberships.workspaceId, apiTokens.workspaceId)),
    )
    .where(and(eq(apiTokens.tokenHash, sha256Hex(token)), isNull(apiTokens.revokedAt)));
  if (!row || row.disabledAt) return null;
  if (row.expiresAt && row.expiresAt <= now) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
  }
  return {
    workspaceId: row.workspaceId,
    workspaceSlug: row.workspaceSlug,
    userId: row.userId,
    email: row.email,
    name: row.name,
    // A member demoted after the token was issued loses the wider rights at once.
    role: narrower(row.tokenRole, row.memberRole),
    via: 'token',
    tokenId: row.tokenId,
  };
}

export async function authenticateSession(db: Db, secret: string, now: Date): Promise<Principal | null> {
  const [row] = await db
    .select({
      workspaceId: sessions.workspaceId,
      workspaceSlug: workspaces.slug,
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      disabledAt: users.disabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(workspaces, eq(workspaces.id, sessions.workspaceId))
    .innerJoin(
      memberships,
      and(eq(memberships.userId, sessions.userId), eq(memberships.workspaceId, sessions.workspaceId)),
    )
    .where(and(eq(sessions.idHash, sha256Hex(secret)), gt(sessions.expiresAt, now)));
  if (!row || row.disabledAt) return null;
  return { ...row, via: 'session' };
}

export type LoginResult = { secret: string; expiresAt: Date; principal: Principal };

/**
 * Checks a password and opens a session in the user's workspace (the named one, or their
 * first). Wrong e-mail and wrong password fail the same way, so neither can be probed.
 */
export async function login(
  db: Db,
  input: { email: string; password: string; workspace?: string },
  now: Date,
): Promise<LoginResult | null> {
  const [user] = await db.select().from(users).where(eq(users.email, input.email.trim().toLowerCase()));
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !ok || user.disabledAt) return null;
  const rows = await db
    .select({ workspaceId: workspaces.id, slug: workspaces.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, user.id))
    .orderBy(memberships.createdAt);
  const m = input.workspace ? rows.find((r) => r.slug === input.workspace) : rows[0];
  if (!m) return null;
  const secret = newSecret('sgs');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.insert(sessions).values({
    idHash: sha256Hex(secret),
    userId: user.id,
    workspaceId: m.workspaceId,
    createdAt: now,
    expiresAt,
  });
  return {
    secret,
    expiresAt,
    principal: {
      workspaceId: m.workspaceId,
      workspaceSlug: m.slug,
      userId: user.id,
      email: user.email,
      name: user.name,
      role: m.role,
      via: 'session',
    },
  };
}

export async function logout(db: Db, secret: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, sha256Hex(secret)));
}
