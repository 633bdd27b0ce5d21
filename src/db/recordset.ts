import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * Many rows of one table as a single bind parameter: the rows travel as a JSON array and
 * PostgreSQL turns it back into records with `json_to_recordset`. Building a multi-row VALUES
 * list through the query builder spends more time in JavaScript (a check per value, columns ×
 * hundreds of rows, and a bind parameter each) than the database spends writing, and runs into
 * the bind-parameter limit on large batches.
 */
export function recordset<T extends PgTable>(table: T) {
  const columns = Object.entries(getTableColumns(table));
  // Quoted, so a column named like a keyword (audit_log's `at`) cannot change how the SQL reads.
  const quoted = columns.map(([, c]) => `"${c.name.replaceAll('"', '""')}"`);
  const names = sql.raw(quoted.join(', '));
  // The record type the batch is read back as: `"id" uuid, "workspace_id" uuid, …`.
  const recordType = sql.raw(columns.map(([, c], i) => `${quoted[i]} ${c.getSQLType()}`).join(', '));
  const asRecord = (row: T['$inferSelect']) => {
    const out: Record<string, unknown> = {};
    for (const [key, c] of columns) out[c.name] = row[key as keyof typeof row];
    return out;
  };
  return {
    /** The table's column list, for `INSERT INTO t (…)`. */
    names,
    /** `SELECT <columns> FROM json_to_recordset($1)` over the rows, keyed as the table's type is. */
    select(rows: Iterable<T['$inferSelect']>): SQL {
      const json = JSON.stringify(Array.from(rows, asRecord));
      return sql`SELECT ${names} FROM json_to_recordset(${json}::json) AS x(${recordType})`;
    },
  };
}
