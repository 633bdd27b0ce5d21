import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/db.ts';
import type { Database } from './client.ts';
import { listMigrations, migrate } from './migrate.ts';
import * as schema from './schema.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('schema', () => {
  it('is fully migrated and a second run applies nothing', async () => {
    expect(await migrate(database)).toEqual([]);
    const rows = await database.query<{ name: string }>('SELECT name FROM siaga_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(listMigrations().map((m) => m.name));
  });

  it('matches the Drizzle tables column for column (one schema, two definitions kept in step)', async () => {
    const tables = (Object.values(schema) as unknown[]).filter(
      (v): v is PgTable => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v,
    );
    expect(tables.length).toBeGreaterThan(5);
    for (const table of tables) {
      const cfg = getTableConfig(table);
      const cols = await database.query<{ column_name: string; is_nullable: string }>(
        `SELECT column_name, is_nullable FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1`,
        [cfg.name],
      );
      const inDb = new Map(cols.map((c) => [c.column_name, c.is_nullable === 'YES']));
      const inCode = new Map(cfg.columns.map((c) => [c.name, !c.notNull]));
      expect(Object.fromEntries(inDb), `table ${cfg.name}`).toEqual(Object.fromEntries(inCode));
    }
  });

  it('refuses a migration file that changed after it was applied', async () => {
    const [first] = listMigrations();
    await expect(migrate(database, [{ ...first!, checksum: 'edited' }])).rejects.toThrow(
      /changed after it was applied/,
    );
  });
});
