import { eq } from 'drizzle-orm';
import pino from 'pino';
import { workspaces } from '../access/tables.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import type { Env } from '../kernel/env.ts';
import { Hooks } from '../kernel/hooks.ts';
import { type Config, ConfigError, loadConfig } from '../server/config.ts';
import { acquireLock, DataDirLocked, readLock } from '../server/lock.ts';
import { systemClock } from '../shared/clock.ts';
import { type Client, clientFrom } from './client.ts';
import { CliError, type Io } from './framework.ts';

export function configFrom(io: Io): Config {
  try {
    return loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    throw err;
  }
}

export type AdminRun<T> = {
  command: string;
  /** What to do instead when a server holds the embedded database (absent: stop with a message). */
  viaServer?: (client: Client) => Promise<T>;
  direct: (env: Env, database: Database) => Promise<T>;
};

/**
 * Runs an admin command against the database directly. The embedded database belongs to one
 * process: when a server holds it, the command goes through that server (if it can and a
 * token is set) or stops and says so; it never opens the directory a second time.
 */
export async function runAdmin<T>(io: Io, run: AdminRun<T>): Promise<T> {
  const config = configFrom(io);
  let release = () => {};
  if (!config.databaseUrl) {
    const holder = readLock(config.dataDir);
    if (holder) return viaServerOrStop(io, run, config, holder.url, `pid ${holder.pid}`);
    try {
      release = acquireLock(config.dataDir, { command: run.command });
    } catch (err) {
      if (err instanceof DataDirLocked)
        return viaServerOrStop(io, run, config, err.holder.url, `pid ${err.holder.pid}`);
      throw err;
    }
  }
  let database: Database | undefined;
  try {
    database = await openDatabase(config);
    await migrate(database);
    const env: Env = {
      database,
      clock: systemClock,
      log: pino({ level: 'warn' }, pino.destination(2)),
      jobs: null,
      publicUrl: config.publicUrl,
      hooks: new Hooks(),
      notifier: null,
      alerts: null,
      oncall: null,
    };
    return await run.direct(env, database);
  } finally {
    await database?.close();
    release();
  }
}

function viaServerOrStop<T>(
  io: Io,
  run: AdminRun<T>,
  config: Config,
  url: string | undefined,
  who: string,
): Promise<T> {
  const where = `${config.dataDir} is in use by a running Siaga server (${who}${url ? `, ${url}` : ''})`;
  if (!run.viaServer) {
    throw new CliError(`${where}.`, [`Stop the server first, then run \`siaga ${run.command}\` again.`]);
  }
  if (!io.env.SIAGA_TOKEN) {
    throw new CliError(`${where}.`, [
      'Set SIAGA_TOKEN (an admin token) to run this command through the server, or stop the server first.',
    ]);
  }
  return run.viaServer(clientFrom({ ...io.env, SIAGA_URL: io.env.SIAGA_URL || url }));
}

/** The workspace an admin command acts on: --workspace, or the only one there is. */
export async function pickWorkspace(
  database: Database,
  slug: string | undefined,
): Promise<{ id: string; slug: string }> {
  if (slug) {
    const [w] = await database.db
      .select({ id: workspaces.id, slug: workspaces.slug })
      .from(workspaces)
      .where(eq(workspaces.slug, slug));
    if (!w) throw new CliError(`no workspace "${slug}"`);
    return w;
  }
  const [def] = await database.db
    .select({ id: workspaces.id, slug: workspaces.slug })
    .from(workspaces)
    .where(eq(workspaces.slug, 'default'));
  if (def) return def;
  const all = await database.db
    .select({ id: workspaces.id, slug: workspaces.slug })
    .from(workspaces)
    .limit(2);
  if (all.length === 0)
    throw new CliError(
      'there is no workspace yet: start the server once (`siaga serve`) or run `siaga workspace create`',
    );
  if (all.length > 1) throw new CliError('there are several workspaces: choose one with --workspace SLUG');
  return all[0]!;
}
