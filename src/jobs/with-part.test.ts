import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { asWithPart } from './jobs.ts';

const dialect = new PgDialect();

describe('a captured job insert as a WITH part', () => {
  it('keeps the text and turns $1 into a parameter of the outer statement', () => {
    const part = asWithPart(
      'INSERT INTO q.job (data) SELECT data FROM json_to_recordset($1::text::json) AS x (data jsonb)',
      ['[{"data":{}}]'],
    );
    expect(part).not.toBeNull();
    const q = dialect.sqlToQuery(part!);
    expect(q.sql).toBe(
      'INSERT INTO q.job (data) SELECT data FROM json_to_recordset($1::text::json) AS x (data jsonb)',
    );
    expect(q.params).toEqual(['[{"data":{}}]']);
  });

  it('refuses what a WITH part cannot hold, so the caller runs it as it is', () => {
    expect(asWithPart('WITH ins AS (INSERT INTO q.job (data) SELECT $1) SELECT 1', ['x'])).toBeNull();
    expect(asWithPart('INSERT INTO q.job (data, name) VALUES ($1, $2)', ['x', 'y'])).toBeNull();
    expect(asWithPart('INSERT INTO q.job (data) VALUES ($1); SELECT 1', ['x'])).toBeNull();
    expect(asWithPart('SELECT $1', ['x'])).toBeNull();
  });
});
