import { eq, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { recordset } from '../db/recordset.ts';
import { writeClauses } from '../db/write-parts.ts';
import { GENESIS, hashRecord } from './chain.ts';
import { type Actor, auditHeads, auditLog } from './tables.ts';

const records = recordset(auditLog);

export type AuditEntry = {
  action: string;
  subjectType: string;
  subjectId: string | null;
  data: Record<string, unknown>;
};

/** Creates the chain's head for a new workspace, so appends can always lock an existing row. */
export async function initChain(tx: Tx, workspaceId: string): Promise<void> {
  await tx.insert(auditHeads).values({ workspaceId, seq: 0, hash: GENESIS }).onConflictDoNothing();
}

/**
 * Appends entries to the workspace's chain inside the caller's transaction. The head row lock
 * serialises appenders of one workspace; it is taken last in a verb, so it is held only for the
 * few statements before commit. What the verb still has to write goes in the append's
 * statement rather than costing round trips of its own: `writes`, inserts nothing reads before
 * commit (its jobs), as `WITH` parts, and `alongside`, a query of one row (its live-event
 * NOTIFY). Both run even when there is nothing to append.
 */
export async function appendAudit(
  tx: Tx,
  workspaceId: string,
  at: Date,
  actor: Actor,
  entries: AuditEntry[],
  also: { writes?: SQL[]; alongside?: SQL } = {},
): Promise<void> {
  const { writes = [], alongside } = also;
  const parts = writeClauses(writes);
  if (entries.length === 0) {
    if (parts.length > 0)
      await tx.execute(sql`WITH ${sql.join(parts, sql`, `)} ${alongside ?? sql`SELECT 1`}`);
    else if (alongside) await tx.execute(alongside);
    return;
  }
  const [head] = await tx
    .select({ seq: auditHeads.seq, hash: auditHeads.hash })
    .from(auditHeads)
    .where(eq(auditHeads.workspaceId, workspaceId))
    .for('update');
  if (!head) throw new Error(`audit chain of workspace ${workspaceId} has no head`);
  let { seq, hash } = head;
  const iso = at.toISOString();
  // jsonb drops undefined members and turns Dates into strings; hash what will be read back.
  const rows = entries.map((e) => {
    const data = JSON.parse(JSON.stringify(e.data)) as Record<string, unknown>;
    const content = {
      workspace_id: workspaceId,
      at: iso,
      actor,
      action: e.action,
      subject_type: e.subjectType,
      subject_id: e.subjectId,
      data,
      prev_hash: hash,
    };
    seq += 1;
    hash = hashRecord(content);
    return {
      workspaceId,
      seq,
      at,
      actor,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      data,
      prevHash: content.prev_hash,
      hash,
    };
  });
  // One statement and one bind parameter for the records however many (an alert flood audits
  // hundreds), and the head moved in the same statement: every verb ends here, and each round
  // trip is one more a new alert's transaction waits for.
  await tx.execute(
    sql`WITH ${sql.join([...parts, sql`appended AS (INSERT INTO audit_log (${records.names}) ${records.select(rows)})`], sql`, `)}
      UPDATE audit_heads SET seq = ${seq}, hash = ${hash}
      ${alongside ? sql`FROM (${alongside}) AS alongside` : sql``}
      WHERE workspace_id = ${workspaceId}`,
  );
}
