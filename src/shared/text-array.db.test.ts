import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/db.ts';
import type { Database } from '../db/client.ts';
import { resultRows } from '../db/result-rows.ts';
import { formatTextArray } from './text-array.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function roundTrip(values: string[]): Promise<string[]> {
  const res = await database.db.execute(sql`SELECT ${formatTextArray(values)}::text[] AS a`);
  return resultRows<{ a: string[] }>(res)[0]!.a;
}

describe('formatTextArray, read by PostgreSQL', () => {
  it('come back exactly as sent: quotes, backslashes, commas, braces, NULL, blanks', async () => {
    const tricky = [
      '',
      ' ',
      'NULL',
      'null',
      'a,b',
      '{x}',
      '"',
      '\\',
      '\\"',
      'é ✓ 🚨',
      ' lead',
      'trail ',
      '\n\t',
    ];
    expect(await roundTrip(tricky)).toEqual(tricky);
  });

  it('come back exactly as sent, for any strings PostgreSQL text can hold', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replaceAll('\u0000', ''));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 30 }), async (values) => {
        expect(await roundTrip(values)).toEqual(values);
      }),
      { numRuns: 60 },
    );
  });
});
