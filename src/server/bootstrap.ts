import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addUser, countWorkspaces, insertWorkspace, issueToken } from '../access/verbs.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb, SYSTEM_ACTOR } from '../kernel/verb.ts';
import { applyPlan } from '../plans/store.ts';

export const STARTER_PLAN = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../examples/plans/starter.yaml',
);

export type NewWorkspace = {
  workspaceId: string;
  slug: string;
  email: string;
  password: string | null;
  token: string;
};

/** A workspace with its first admin, an API token for them, and optionally a plan. */
export async function createWorkspaceWithAdmin(
  env: Env,
  input: {
    slug: string;
    name: string;
    email: string;
    token?: string;
    withPassword: boolean;
    planSource?: string;
  },
): Promise<NewWorkspace> {
  const workspaceId = await env.database.db.transaction(async (tx) =>
    insertWorkspace(tx, { slug: input.slug, name: input.name, now: env.clock.now() }),
  );
  const scope = { workspaceId, actor: SYSTEM_ACTOR };
  const password = input.withPassword ? randomBytes(12).toString('base64url') : null;
  return runVerb(env, scope, async (ctx) => {
    ctx.audit('workspace.created', 'workspace', workspaceId, { slug: input.slug, name: input.name });
    const user = await addUser(ctx, {
      email: input.email,
      name: 'Administrator',
      role: 'admin',
      password: password ?? undefined,
    });
    const issued = await issueToken(ctx, { userId: user.id, name: 'bootstrap', secret: input.token });
    if (input.planSource) await applyPlan(ctx, { source: input.planSource, comment: 'starter plan' });
    return { workspaceId, slug: input.slug, email: user.email, password, token: issued.token };
  });
}

/**
 * On an empty database: the default workspace, its admin and the starter plan. The admin's
 * token is SIAGA_BOOTSTRAP_TOKEN when set; otherwise a one-time credential is printed.
 */
export async function bootstrapIfEmpty(
  env: Env,
  opts: { token?: string; email: string },
): Promise<NewWorkspace | null> {
  if ((await countWorkspaces(env.database.db)) > 0) return null;
  return createWorkspaceWithAdmin(env, {
    slug: 'default',
    name: 'Default workspace',
    email: opts.email,
    token: opts.token,
    withPassword: true,
    planSource: readFileSync(STARTER_PLAN, 'utf8'),
  });
}
