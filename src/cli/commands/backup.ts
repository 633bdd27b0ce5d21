import { writeFile } from 'node:fs/promises';
import { BackupError, backupToFile, restorePglite, restorePostgres } from '../../db/backup.ts';
import { openDatabase } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { acquireLock, readLock } from '../../server/lock.ts';
import { configFrom, runAdmin } from '../admin.ts';
import { CliError, type Command, flag } from '../framework.ts';

export const backupCommands: Command[] = [
  {
    path: ['backup'],
    summary:
      'Write a backup of the database to FILE (embedded: a .tar.gz; PostgreSQL: pg_dump custom format)',
    args: ['FILE'],
    async run(p, io) {
      const file = p.positionals[0]!;
      try {
        const bytes = await runAdmin(io, {
          command: 'backup',
          viaServer: async (c) => {
            const res = await c.raw('GET', '/api/v1/admin/backup');
            const body = new Uint8Array(await res.arrayBuffer());
            await writeFile(file, body);
            return body.byteLength;
          },
          direct: (_env, database) => backupToFile(database, file),
        });
        io.out(`Wrote ${file} (${(bytes / 1024 / 1024).toFixed(1)} MiB).`);
        return 0;
      } catch (err) {
        if (err instanceof BackupError) throw new CliError(err.message);
        throw err;
      }
    },
  },
  {
    path: ['restore'],
    summary: 'Restore a backup made by `siaga backup` (the server must be stopped)',
    args: ['FILE'],
    options: {
      force: {
        type: 'boolean',
        description: 'Restore over an existing database (embedded: the old one is kept aside)',
      },
    },
    async run(p, io) {
      const file = p.positionals[0]!;
      const config = configFrom(io);
      try {
        if (config.databaseUrl) {
          if (!flag(p, 'force')) {
            throw new CliError(
              'restoring replaces every Siaga table in DATABASE_URL; pass --force to go ahead',
            );
          }
          await restorePostgres(config.databaseUrl, file);
        } else {
          const holder = readLock(config.dataDir);
          if (holder) throw new CliError(`stop the server first (pid ${holder.pid} holds ${config.dataDir})`);
          const release = acquireLock(config.dataDir, { command: 'restore' });
          try {
            const stamp = new Date().toISOString().replace(/[:.]/g, '-');
            const aside = await restorePglite(config.dataDir, file, { force: flag(p, 'force'), stamp });
            if (aside) io.out(`The previous database is kept in ${aside}.`);
          } finally {
            release();
          }
        }
      } catch (err) {
        if (err instanceof BackupError) throw new CliError(err.message);
        throw err;
      }
      // A backup taken by an older version is brought up to this version's schema.
      const database = await openDatabase(config);
      try {
        const applied = await migrate(database);
        io.out(`Restored ${file}${applied.length ? `; applied ${applied.join(', ')}` : ''}.`);
      } finally {
        await database.close();
      }
      return 0;
    },
  },
];
