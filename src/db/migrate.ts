import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Session } from './client.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same in every Siaga process.
const LOCK_KEY = 7_301_142_001;

export type Migration = { name: string; sql: string; checksum: string };

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies pending migrations in name order, each in its own transaction, under an advisory lock
 * so several processes starting at once apply each migration exactly once. A migration whose
 * file changed after it was applied stops start-up: silently diverging schemas are worse.
 */
export async function migrate(database: Database, migrations = listMigrations()): Promise<string[]> {
  return database.session((s) => migrateOn(s, migrations));
}

async function migrateOn(database: Session, migrations: Migration[]): Promise<string[]> {
  await database.exec(`CREATE TABLE IF NOT EXISTS siaga_migrations (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  await database.exec(`SELECT pg_advisory_lock(${LOCK_KEY})`);
  try {
    const rows = await database.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM siaga_migrations',
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const m of migrations) {
      const prior = done.get(m.name);
      if (prior !== undefined) {
        if (prior !== m.checksum) {
          throw new Error(
            `migration ${m.name} was changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      await database.exec(
        `BEGIN;\n${m.sql}\n;INSERT INTO siaga_migrations (name, checksum) VALUES ('${m.name}', '${m.checksum}');\nCOMMIT;`,
      );
      applied.push(m.name);
    }
  } catch (err) {
    await database.exec('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await database.exec(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => {});
  }
  return applied;
}
