import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { createPglite, type Database, openPostgres } from '../../src/db/client.ts';
import { newId } from '../../src/shared/ids.ts';

export type TestBackend = 'pglite' | 'postgres';

export function testBackend(): TestBackend {
  const b = process.env.SIAGA_TEST_BACKEND;
  if (b !== 'pglite' && b !== 'postgres')
    throw new Error('database tests run in the pglite or postgres project');
  return b;
}

/** A fresh migrated database of the project's backend; close() drops it. */
export async function createTestDatabase(): Promise<Database> {
  if (testBackend() === 'pglite') {
    const dump = new Blob([readFileSync(inject('pgliteTemplate'))]);
    return createPglite({ loadDataDir: dump });
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `siaga_t_${newId().replaceAll('-', '').slice(0, 16)}`;
  const admin = openPostgres(adminUrl, { max: 1 });
  await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
  await admin.close();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), { max: 5 });
  const close = database.close;
  return {
    ...database,
    close: async () => {
      await close();
      const a = openPostgres(adminUrl, { max: 1 });
      await a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.close();
    },
  };
}
