import pino from 'pino';
import { openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import type { ZApp } from '../http/server.ts';
import type { Env } from '../kernel/env.ts';
import { systemClock } from '../shared/clock.ts';
import { bootstrapIfEmpty, type NewWorkspace } from './bootstrap.ts';
import type { Config } from './config.ts';
import { acquireLock, advertise } from './lock.ts';
import { defaultModules } from './modules.ts';
import { createRuntime } from './runtime.ts';

export type Running = {
  app: ZApp;
  env: Env;
  url: string;
  bootstrap: NewWorkspace | null;
  stop(): Promise<void>;
};

/** Starts one Siaga process: storage, migrations, first-run bootstrap, HTTP. */
export async function serve(
  config: Config,
  opts: { print?: (line: string) => void; environment?: NodeJS.ProcessEnv } = {},
): Promise<Running> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = pino({
    level: config.logLevel,
    base: { service: 'siaga' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  const release = config.databaseUrl ? () => {} : acquireLock(config.dataDir, { command: 'serve' });
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    database = await openDatabase(config);
    const applied = await migrate(database);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    const modules = defaultModules({ environment: opts.environment ?? process.env, config });
    const runtime = createRuntime(database, {
      clock: systemClock,
      log,
      publicUrl: config.publicUrl,
      modules,
    });
    const { env } = runtime;
    const bootstrap = await bootstrapIfEmpty(env, {
      token: config.bootstrapToken,
      email: config.bootstrapEmail,
    });
    const app = await runtime.start();
    await app.listen({ port: config.port, host: config.host });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    if (!config.databaseUrl) advertise(config.dataDir, url);
    print(
      `Siaga is running on ${url} (${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
    );
    if (bootstrap) {
      print('');
      print('First start: created the "default" workspace with the starter plan.');
      print(`  Log in at ${config.publicUrl} as ${bootstrap.email}`);
      if (bootstrap.password)
        print(`  One-time password: ${bootstrap.password}   (shown once; change it after logging in)`);
      if (config.bootstrapToken) print('  API token: the value of SIAGA_BOOTSTRAP_TOKEN');
      else print(`  API token for the CLI: export SIAGA_TOKEN=${bootstrap.token}   (shown once)`);
      print('');
    }
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        await runtime.stop();
        await database!.close();
        release();
      })();
      return stopping;
    };
    return { app, env, url, bootstrap, stop };
  } catch (err) {
    await database?.close().catch(() => {});
    release();
    throw err;
  }
}
