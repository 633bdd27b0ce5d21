import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from './client.ts';

/*
 * Writes nobody reads back in the same transaction go as data-modifying `WITH` parts of a
 * statement the caller runs anyway, rather than costing a round trip each: a new alert's
 * incident waits for every one. PostgreSQL runs each such part exactly once, whether or not the
 * statement reads it, and checks foreign keys at the statement's end, so a part may insert rows
 * that point at a row the statement itself inserts. The parts see neither each other's rows nor
 * the statement's: nothing that must read them, and no second write to a row another part
 * writes, belongs here.
 */

/** The writes as `WITH` parts of a query builder's statement: `tx.with(...writeParts(tx, w))`. */
export function writeParts(tx: Tx, writes: (SQL | undefined)[]) {
  return present(writes).map((w, i) => tx.$with(`write_${i}`, {}).as(w));
}

/** The writes as the parts of a `WITH` clause written by hand (`WITH ${sql.join(parts, sql`, `)} …`). */
export function writeClauses(writes: (SQL | undefined)[], prefix = 'write'): SQL[] {
  return present(writes).map((w, i) => sql`${sql.raw(`${prefix}_${i}`)} AS (${w})`);
}

/** Runs the writes in one statement. */
export async function runWrites(tx: Tx, writes: (SQL | undefined)[]): Promise<void> {
  const list = present(writes);
  if (list.length === 1) await tx.execute(list[0]!);
  else if (list.length > 1) await tx.execute(sql`WITH ${sql.join(writeClauses(list), sql`, `)} SELECT 1`);
}

const present = (writes: (SQL | undefined)[]) => writes.filter((w): w is SQL => w !== undefined);
