import pino from 'pino';
import { addUser, insertWorkspace, type NewUser } from '../../src/access/verbs.ts';
import type { Actor } from '../../src/audit/tables.ts';
import type { Database } from '../../src/db/client.ts';
import type { Env } from '../../src/kernel/env.ts';
import { Hooks } from '../../src/kernel/hooks.ts';
import { runVerb, type Scope, SYSTEM_ACTOR } from '../../src/kernel/verb.ts';
import { FakeClock } from '../../src/shared/clock.ts';
import { createTestDatabase } from './db.ts';

export type TestWorld = {
  env: Env;
  database: Database;
  clock: FakeClock;
  workspaceId: string;
  /** The workspace's first admin, acting through a verb scope. */
  admin: { id: string; email: string; scope: Scope };
  addMember(
    input: Partial<NewUser> & { email: string },
  ): Promise<{ id: string; email: string; scope: Scope }>;
  close(): Promise<void>;
};

export async function createWorld(
  opts: { slug?: string; database?: Database; clock?: FakeClock } = {},
): Promise<TestWorld> {
  const database = opts.database ?? (await createTestDatabase());
  const clock = opts.clock ?? new FakeClock();
  const env: Env = {
    database,
    clock,
    log: pino({ level: 'silent' }),
    jobs: null,
    publicUrl: 'http://siaga.test',
    hooks: new Hooks(),
    notifier: null,
    alerts: null,
    oncall: null,
  };
  return worldIn(env, opts.slug ?? 'acme');
}

export async function worldIn(env: Env, slug: string): Promise<TestWorld> {
  const workspaceId = await env.database.db.transaction((tx) =>
    insertWorkspace(tx, { slug, name: slug.toUpperCase(), now: env.clock.now() }),
  );
  const system: Scope = { workspaceId, actor: SYSTEM_ACTOR };
  const addMember = async (input: Partial<NewUser> & { email: string }) => {
    const u = await runVerb(env, system, (ctx) =>
      addUser(ctx, { name: input.email.split('@')[0]!, role: 'responder', ...input }),
    );
    const actor: Actor = { type: 'user', id: u.id, name: u.email };
    return { ...u, scope: { workspaceId, actor } };
  };
  const admin = await addMember({
    email: `admin@${slug}.test`,
    role: 'admin',
    password: 'correct horse battery',
  });
  return {
    env,
    database: env.database,
    clock: env.clock as FakeClock,
    workspaceId,
    admin,
    addMember,
    close: () => env.database.close(),
  };
}
