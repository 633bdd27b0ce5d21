import { and, asc, desc, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { AuditRecord } from './chain.ts';
import { auditHeads, auditLog } from './tables.ts';

type Row = typeof auditLog.$inferSelect;

export function toRecord(r: Row): AuditRecord {
  return {
    seq: r.seq,
    workspace_id: r.workspaceId,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    subject_type: r.subjectType,
    subject_id: r.subjectId,
    data: r.data,
    prev_hash: r.prevHash,
    hash: r.hash,
  };
}

export async function readHead(
  db: Db,
  workspaceId: string,
): Promise<{ seq: number; hash: string } | undefined> {
  const [head] = await db
    .select({ seq: auditHeads.seq, hash: auditHeads.hash })
    .from(auditHeads)
    .where(eq(auditHeads.workspaceId, workspaceId));
  return head;
}

/** Streams the chain in pages so a long history never sits in memory at once. */
export async function* readChain(
  db: Db,
  workspaceId: string,
  pageSize = 2000,
): AsyncGenerator<AuditRecord[]> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, workspaceId), gt(auditLog.seq, after)))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    if (rows.length === 0) return;
    yield rows.map(toRecord);
    after = rows[rows.length - 1]!.seq;
  }
}

export async function listAudit(
  db: Db,
  workspaceId: string,
  opts: { before?: number; limit: number },
): Promise<AuditRecord[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, workspaceId),
        opts.before ? lte(auditLog.seq, opts.before - 1) : undefined,
      ),
    )
    .orderBy(desc(auditLog.seq))
    .limit(opts.limit);
  return rows.map(toRecord);
}
