import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { ChainVerifier, type VerifyResult } from './chain.ts';
import { readChain, readHead } from './store.ts';
import { auditLog } from './tables.ts';

/** Verifies a workspace's chain page by page, straight from the database. */
export async function verifyWorkspace(db: Db, workspaceId: string): Promise<VerifyResult> {
  const head = await readHead(db, workspaceId);
  const verifier = new ChainVerifier(head, async (hash) => {
    const [row] = await db
      .select({ seq: auditLog.seq })
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.hash, hash)))
      .limit(1);
    return row?.seq;
  });
  outer: for await (const page of readChain(db, workspaceId)) {
    for (const r of page) if (!(await verifier.push(r))) break outer;
  }
  return verifier.finish();
}
