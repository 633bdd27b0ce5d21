import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database } from './client.ts';

export class BackupError extends Error {}

/** A consistent copy of the embedded database: PGlite's data directory as a gzipped tar. */
export async function dumpPglite(database: Database): Promise<Uint8Array> {
  if (!database.pglite) throw new BackupError('not the embedded database');
  const blob = await database.pglite.dumpDataDir('gzip');
  return new Uint8Array(await blob.arrayBuffer());
}

export async function backupToFile(database: Database, file: string): Promise<number> {
  if (database.kind === 'pglite') {
    const bytes = await dumpPglite(database);
    await writeFile(file, bytes);
    return bytes.byteLength;
  }
  await run('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, database.url!]);
  return (await readFile(file)).byteLength;
}

/**
 * Restores a backup made by `siaga backup`. An embedded data directory that already holds a
 * database is kept aside (renamed with a timestamp), never overwritten, and only with `force`.
 */
export async function restorePglite(
  dataDir: string,
  file: string,
  opts: { force: boolean; stamp: string },
): Promise<string | null> {
  const pgdata = join(dataDir, 'pgdata');
  let keptAside: string | null = null;
  if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
    if (!opts.force) {
      throw new BackupError(
        `${dataDir} already holds a database; pass --force to keep it aside and restore over it`,
      );
    }
    keptAside = `${pgdata}.before-restore-${opts.stamp}`;
    renameSync(pgdata, keptAside);
  }
  const tarball = new Blob([new Uint8Array(await readFile(file))]);
  const pg = await PGlite.create({ dataDir: pgdata, loadDataDir: tarball });
  await pg.query('SELECT 1');
  await pg.close();
  return keptAside;
}

export async function restorePostgres(url: string, file: string): Promise<void> {
  await run('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${url}`, file]);
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          e.code === 'ENOENT'
            ? `${cmd} is not installed (it comes with the PostgreSQL client tools)`
            : e.message,
        ),
      ),
    );
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new BackupError(`${cmd} failed: ${err.trim()}`)),
    );
  });
}
