import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openPostgres, wrapPglite } from '../../src/db/client.ts';
import { listMigrations, migrate } from '../../src/db/migrate.ts';
import { sha256Hex } from '../../src/shared/ids.ts';

/**
 * Migrates one template per run, so each test file starts from a fresh, migrated database in
 * a fraction of a second: a PGlite data-dir dump, or a PostgreSQL template database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const backend = project.name;
  const fingerprint = sha256Hex(
    listMigrations()
      .map((m) => m.checksum)
      .join(),
  ).slice(0, 12);
  if (backend === 'pglite') {
    const dir = join(tmpdir(), 'siaga-test');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `template-${fingerprint}-${process.pid}.tar`);
    const client = await PGlite.create();
    await migrate(wrapPglite(client));
    const dump = await client.dumpDataDir('none');
    writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
    await client.close();
    project.provide('pgliteTemplate', file);
    return async () => {};
  }
  const adminUrl = String(project.config.env?.TEST_DATABASE_URL);
  const template = `siaga_tpl_${fingerprint}`;
  const admin = openPostgres(adminUrl, { max: 1 });
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.length === 0) {
      const building = `${template}_${process.pid}`;
      await admin.exec(`CREATE DATABASE ${building}`);
      const url = new URL(adminUrl);
      url.pathname = `/${building}`;
      const db = openPostgres(url.toString(), { max: 1 });
      await migrate(db);
      await db.close();
      // Rename into place so a half-migrated template is never used by a concurrent run.
      await admin.exec(`ALTER DATABASE ${building} RENAME TO ${template}`).catch(async (err) => {
        await admin.exec(`DROP DATABASE IF EXISTS ${building}`);
        if (!String(err).includes('already exists')) throw err;
      });
    }
  } finally {
    await admin.close();
  }
  project.provide('postgresTemplate', template);
  return async () => {};
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}
