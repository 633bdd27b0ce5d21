import type { Db } from '../db/client.ts';
import { readChain } from './store.ts';

/**
 * Writes the chain as JSON Lines, one record per line in seq order, with exactly the fields
 * the hash covers plus seq and hash; scripts/verify-audit-export.mjs checks it with nothing
 * but Node's crypto. Returns the number of records written.
 */
export async function exportChain(
  db: Db,
  workspaceId: string,
  write: (line: string) => unknown,
): Promise<number> {
  let n = 0;
  for await (const page of readChain(db, workspaceId)) {
    for (const r of page) {
      await write(`${JSON.stringify(r)}\n`);
      n += 1;
    }
  }
  return n;
}
