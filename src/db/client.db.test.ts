import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/db.ts';
import type { Database } from './client.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('bytea from either backend', () => {
  it('arrives as the bytes stored, small (pooled buffers), empty and large alike', async () => {
    const [r] = await database.query<Record<string, Uint8Array>>(
      `SELECT '\\x00ff10'::bytea AS small, ''::bytea AS empty,
        (SELECT string_agg(float8send(g::float8 / 3), ''::bytea) FROM generate_series(1, 2000) g) AS large`,
    );
    expect(r!.small).toBeInstanceOf(Uint8Array);
    expect([...r!.small!]).toEqual([0, 255, 16]);
    expect(r!.empty!.byteLength).toBe(0);
    const view = new DataView(r!.large!.buffer, r!.large!.byteOffset, r!.large!.byteLength);
    expect(r!.large!.byteLength).toBe(16_000);
    expect(view.getFloat64(0)).toBe(1 / 3);
    expect(view.getFloat64(1999 * 8)).toBe(2000 / 3);
  });
});
