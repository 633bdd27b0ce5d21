import { canonicalJson } from '../shared/canonical.ts';
import { sha256Hex } from '../shared/ids.ts';
import type { Actor } from './tables.ts';

/** The hash a chain's first record points back to. */
export const GENESIS = '0'.repeat(64);

/** What each record's hash covers. The position (seq) is not hashed: the links order the chain. */
export type AuditContent = {
  workspace_id: string;
  at: string;
  actor: Actor;
  action: string;
  subject_type: string;
  subject_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
};

export type AuditRecord = AuditContent & { seq: number; hash: string };

export function hashRecord(content: AuditContent): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      workspace_id: content.workspace_id,
      at: content.at,
      actor: content.actor,
      action: content.action,
      subject_type: content.subject_type,
      subject_id: content.subject_id,
      data: content.data,
      prev_hash: content.prev_hash,
    }),
  );
}

export type ChainProblem = {
  seq: number;
  kind: 'changed' | 'missing' | 'inserted' | 'out_of_order';
  message: string;
};

export type VerifyResult = { ok: boolean; records: number; headSeq: number | null; problem?: ChainProblem };

/**
 * Checks records one at a time, in seq order, and stops at the first that breaks the chain,
 * saying how. Memory stays flat for any length of chain: only the last two hashes are kept,
 * and `locate` (a lookup by hash) is asked only once a link is already broken, to tell
 * "out of order" from "missing".
 */
export class ChainVerifier {
  private prevHash = GENESIS;
  private prevSeq = 0;
  private twoBack: string | null = null;
  private count = 0;
  problem: ChainProblem | undefined;
  private readonly head: { seq: number; hash: string } | undefined;
  private readonly locate: (hash: string) => Promise<number | undefined> | number | undefined;

  constructor(
    head: { seq: number; hash: string } | undefined,
    locate: (hash: string) => Promise<number | undefined> | number | undefined,
  ) {
    this.head = head;
    this.locate = locate;
  }

  /** Returns false once a problem is found; later records are not looked at. */
  async push(r: AuditRecord): Promise<boolean> {
    if (this.problem) return false;
    this.problem = await this.check(r);
    if (this.problem) return false;
    this.count += 1;
    this.twoBack = this.prevHash;
    this.prevHash = r.hash;
    this.prevSeq = r.seq;
    return true;
  }

  private async check(r: AuditRecord): Promise<ChainProblem | undefined> {
    const head = this.head;
    const prevSeq = this.prevSeq;
    if (head && r.seq > head.seq) {
      return {
        seq: r.seq,
        kind: 'inserted',
        message: `record ${r.seq} lies beyond the chain's head (${head.seq}): it was added outside Siaga`,
      };
    }
    if (hashRecord(r) !== r.hash) {
      return {
        seq: r.seq,
        kind: 'changed',
        message: `record ${r.seq} was changed: its content does not match its hash`,
      };
    }
    if (r.seq > prevSeq + 1) {
      const gap =
        r.seq - prevSeq - 1 === 1 ? `record ${prevSeq + 1} is` : `records ${prevSeq + 1}–${r.seq - 1} are`;
      return {
        seq: prevSeq + 1,
        kind: 'missing',
        message: `${gap} missing (record ${prevSeq} is followed by ${r.seq})`,
      };
    }
    if (r.prev_hash === this.prevHash) return undefined;
    if (this.twoBack !== null && r.prev_hash === this.twoBack) {
      return {
        seq: prevSeq,
        kind: 'inserted',
        message: `record ${prevSeq} was inserted: record ${r.seq} links to record ${prevSeq - 1}, not to it`,
      };
    }
    const target = await this.locate(r.prev_hash);
    if (target !== undefined) {
      return {
        seq: r.seq,
        kind: 'out_of_order',
        message: `record ${r.seq} is out of order: it follows record ${target}, not record ${prevSeq}`,
      };
    }
    return {
      seq: r.seq,
      kind: 'missing',
      message: `record ${r.seq} does not follow record ${prevSeq}: a record between them is missing, or record ${prevSeq} was rewritten`,
    };
  }

  finish(): VerifyResult {
    const head = this.head;
    if (!this.problem && head) {
      if (head.seq > this.prevSeq) {
        const gap =
          head.seq === this.prevSeq + 1
            ? `record ${head.seq} is`
            : `records ${this.prevSeq + 1}–${head.seq} are`;
        this.problem = {
          seq: this.prevSeq + 1,
          kind: 'missing',
          message: `${gap} missing from the end of the chain`,
        };
      } else if (head.seq === this.prevSeq && head.hash !== this.prevHash) {
        this.problem = {
          seq: this.prevSeq,
          kind: 'changed',
          message: `record ${this.prevSeq} does not match the chain's head`,
        };
      }
    }
    return { ok: !this.problem, records: this.count, headSeq: head?.seq ?? null, problem: this.problem };
  }
}

/** Verifies an in-memory chain (an export, a test fixture). */
export async function verifyChain(
  records: AuditRecord[],
  head?: { seq: number; hash: string },
): Promise<VerifyResult> {
  const bySeq = new Map(records.map((r) => [r.hash, r.seq]));
  const v = new ChainVerifier(head, (hash) => bySeq.get(hash));
  for (const r of records) if (!(await v.push(r))) break;
  return v.finish();
}
