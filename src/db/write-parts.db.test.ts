import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/db.ts';
import type { Database } from './client.ts';
import { runWrites, writeParts } from './write-parts.ts';

const parent = pgTable('wp_parent', { id: integer('id').primaryKey(), name: text('name').notNull() });
const child = pgTable('wp_child', {
  id: integer('id').primaryKey(),
  parentId: integer('parent_id').notNull(),
});

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  await database.exec(`CREATE TABLE wp_parent (id int PRIMARY KEY, name text NOT NULL);
    CREATE TABLE wp_child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES wp_parent (id));`);
});
afterAll(() => database.close());

const count = async (table: string) =>
  Number((await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

describe('writes riding in another statement', () => {
  it('insert rows that point at the row the statement itself inserts, and return its rows', async () => {
    const rows = await database.db.transaction((tx) =>
      tx
        .with(
          ...writeParts(tx, [
            tx.insert(child).values({ id: 1, parentId: 1 }).getSQL(),
            undefined,
            tx.insert(child).values({ id: 2, parentId: 1 }).getSQL(),
          ]),
        )
        .insert(parent)
        .values({ id: 1, name: 'one' })
        .returning(),
    );
    expect(rows).toEqual([{ id: 1, name: 'one' }]);
    expect(await count('wp_child')).toBe(2);
  });

  it('fail with the statement: a part breaking a foreign key writes nothing at all', async () => {
    await expect(
      database.db.transaction((tx) =>
        tx
          .with(...writeParts(tx, [tx.insert(child).values({ id: 3, parentId: 99 }).getSQL()]))
          .insert(parent)
          .values({ id: 2, name: 'two' }),
      ),
    ).rejects.toThrow();
    expect(await count('wp_parent')).toBe(1);
    expect(await count('wp_child')).toBe(2);
  });

  it('run alone as one statement, one write or several', async () => {
    await database.db.transaction(async (tx) => {
      await runWrites(tx, [tx.insert(parent).values({ id: 3, name: 'three' }).getSQL()]);
      await runWrites(tx, [
        tx.insert(parent).values({ id: 4, name: 'four' }).getSQL(),
        tx.insert(child).values({ id: 4, parentId: 4 }).getSQL(),
      ]);
      await runWrites(tx, []);
    });
    expect(await database.query('SELECT id FROM wp_parent ORDER BY id')).toEqual([
      { id: 1 },
      { id: 3 },
      { id: 4 },
    ]);
    expect(await count('wp_child')).toBe(3);
  });
});
