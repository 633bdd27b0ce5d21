import { sql } from 'drizzle-orm';
import { resultRows } from '../db/result-rows.ts';
import type { Ctx } from '../kernel/verb.ts';
import type { Outcome } from './ingest.ts';
import type { IncomingAlert } from './model.ts';

/**
 * Unchanged repeats of firing alerts, answered from memory.
 *
 * Prometheus re-sends every firing alert on each evaluation, and a storm is mostly the same
 * alerts again: a repeat that changes nothing but last-seen and count need not lock and rewrite
 * its row before the sender is answered. The row already holds everything the alert says, so
 * "acknowledged only once durably stored" still holds; only the repeat's bookkeeping (count,
 * last seen) is written behind, within `FLUSH_MS`, by the integration's next round.
 *
 * A repeat is only answered here when this process committed the alert's current state itself
 * (firing, not flapping, not silenced) with the same status, title and annotations, and no
 * silence now matches it. The write-behind re-checks the row: if another process changed it in
 * the meantime (resolved it, say), the repeat is ingested the full way in that round, so a
 * re-fire still reopens. What a crash can lose is count and last-seen of the last second's
 * repeats, never an alert or a change.
 */
export const FLUSH_MS = 1000;
/** Past this many noted repeats an integration's next round writes them even if none is due. */
const PENDING_LIMIT = 5000;

type Known = { id: string; signature: string; action: string; incidentId: string | null };
/** `since`: the process's wall time when the first of these sightings was noted. */
type Pending = { id: string; count: number; lastSeen: Date; alert: IncomingAlert; since: number };

/** Which alert a sighting is of: its workspace, source and fingerprint. */
export const alertKey = (workspaceId: string, a: IncomingAlert) =>
  `${workspaceId}\n${a.source}\n${a.fingerprint}`;
/**
 * Which alert a noted repeat is of, among its integration's (one workspace's): by what the post
 * says rather than by `known`, which may have let the alert go while its repeat waits.
 */
const pendingKey = (a: IncomingAlert) => `${a.source}\n${a.fingerprint}`;
/** What a repeat must carry unchanged; the fingerprint already covers the labels. */
const signatureOf = (a: IncomingAlert) =>
  `${a.status}\n${a.title}\n${a.statusOnly ? '' : JSON.stringify(a.annotations ?? {})}`;

export type Split = {
  /** One per item: the answer for a repeat absorbed here, undefined for one to ingest. */
  answered: (Outcome | undefined)[];
  ingest: IncomingAlert[];
};

export class Repeats {
  private readonly known = new Map<string, Known>();
  private readonly pending = new Map<string, Map<string, Pending>>();
  private readonly capacity: number;

  constructor(capacity = 200_000) {
    this.capacity = capacity;
  }

  /** Whether any of the items might be a repeat (so the round needs the live silences). */
  knowsAny(workspaceId: string, items: IncomingAlert[]): boolean {
    return items.some((a) => this.known.has(alertKey(workspaceId, a)));
  }

  /**
   * Which of a round's alerts are unchanged repeats. Once an alert goes the full way in a
   * round, its later sightings in the same round do too: they come after that change.
   */
  split(workspaceId: string, items: IncomingAlert[], silenced: (a: IncomingAlert) => boolean): Split {
    const full = new Set<string>();
    const answered: (Outcome | undefined)[] = [];
    const ingest: IncomingAlert[] = [];
    for (const a of items) {
      const key = alertKey(workspaceId, a);
      const k = full.has(key) ? undefined : this.known.get(key);
      if (k && a.status === 'firing' && k.signature === signatureOf(a) && !silenced(a)) {
        answered.push({
          id: k.id,
          fingerprint: a.fingerprint,
          created: false,
          action: k.action,
          incidentId: k.incidentId,
          repeatable: true,
        });
      } else {
        full.add(key);
        answered.push(undefined);
        ingest.push(a);
      }
    }
    return { answered, ingest };
  }

  /** Notes the absorbed repeats of a round for the write-behind, once the round has succeeded. */
  note(integrationId: string, items: IncomingAlert[], split: Split, now: Date, wall: number): void {
    let p = this.pending.get(integrationId);
    split.answered.forEach((o, i) => {
      if (!o) return;
      if (!p) {
        p = new Map();
        this.pending.set(integrationId, p);
      }
      const a = items[i]!;
      const key = pendingKey(a);
      const prev = p.get(key);
      // Set again under its key, an entry keeps its place: the map stays in order of `since`.
      p.set(key, {
        id: o.id,
        count: (prev?.count ?? 0) + 1,
        lastSeen: now,
        alert: a,
        since: prev?.since ?? wall,
      });
    });
  }

  /**
   * Whether the integration's noted repeats should be written now. `wall` is the process's
   * monotonic time: the write-behind bounds what a crash loses, not a domain deadline.
   */
  due(integrationId: string, wall: number): boolean {
    return this.waited(integrationId, wall, FLUSH_MS);
  }

  private waited(integrationId: string, wall: number, ms: number): boolean {
    const p = this.pending.get(integrationId);
    if (!p) return false;
    return p.size >= PENDING_LIMIT || wall - p.values().next().value!.since >= ms;
  }

  /** Whether a sighting of this alert was answered from memory and is not yet written. */
  hasPending(integrationId: string, a: IncomingAlert): boolean {
    return this.pending.get(integrationId)?.has(pendingKey(a)) === true;
  }

  /**
   * Past twice its bound the write-behind is overdue: a stream of small rounds, each of which
   * leaves the others' repeats alone, must not keep the timer's round from ever running.
   */
  overdue(integrationId: string, wall: number): boolean {
    return this.waited(integrationId, wall, 2 * FLUSH_MS);
  }

  integrationsWithPending(): string[] {
    return [...this.pending.keys()];
  }

  /** Hands the noted repeats to a round's transaction; `restore` puts them back if it fails. */
  take(integrationId: string, max = Number.POSITIVE_INFINITY): Pending[] {
    const p = this.pending.get(integrationId);
    if (!p) return [];
    if (p.size > max) {
      // The longest noted first; what is left is due by its own first note.
      const taken: Pending[] = [];
      for (const [key, t] of p) {
        if (taken.length === max) break;
        taken.push(t);
        p.delete(key);
      }
      return taken;
    }
    this.pending.delete(integrationId);
    return [...p.values()];
  }

  /**
   * Hands a round only the noted repeats of its own alerts: those must be written before the
   * round changes their rows (a repeat re-checked after a resolution would fire it again).
   */
  takeOf(integrationId: string, items: IncomingAlert[]): Pending[] {
    const p = this.pending.get(integrationId);
    if (!p) return [];
    const taken: Pending[] = [];
    for (const a of items) {
      const key = pendingKey(a);
      const t = p.get(key);
      if (!t) continue;
      taken.push(t);
      p.delete(key);
    }
    if (p.size === 0) this.pending.delete(integrationId);
    return taken;
  }

  /** Puts back what a failed round took, ahead of what was noted since: it is older. */
  restore(integrationId: string, taken: Pending[]): void {
    if (taken.length === 0) return;
    const later = this.pending.get(integrationId) ?? new Map<string, Pending>();
    const p = new Map<string, Pending>();
    for (const t of taken) p.set(pendingKey(t.alert), t);
    for (const [key, t] of later) {
      const back = p.get(key);
      p.set(key, back ? { ...t, count: back.count + t.count, since: back.since } : t);
    }
    this.pending.set(integrationId, p);
  }

  /** After a committed round: what each ingested alert's row now is. */
  learn(workspaceId: string, alerts: IncomingAlert[], outcomes: Outcome[]): void {
    alerts.forEach((a, i) => {
      const o = outcomes[i]!;
      const key = alertKey(workspaceId, a);
      this.known.delete(key);
      if (!o.repeatable) return;
      this.known.set(key, {
        id: o.id,
        signature: signatureOf(a),
        action: o.action,
        incidentId: o.incidentId,
      });
      // A Map iterates in insertion order: the first key is the one longest without a change.
      if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value!);
    });
  }

  forget(workspaceId: string, a: IncomingAlert): void {
    this.known.delete(alertKey(workspaceId, a));
  }
}

/**
 * Writes noted repeats' count and last seen, but only into rows still in the state the repeat
 * was answered for. Returns the repeats whose rows another process changed meanwhile: the
 * caller ingests them the full way, in the same transaction.
 */
export async function writeRepeats(ctx: Ctx, taken: Pending[]): Promise<IncomingAlert[]> {
  if (taken.length === 0) return [];
  // Statistics taken while the table was small (a first storm grows it by thousands of rows
  // a second, faster than autovacuum analyzes) can make the planner think no alert is firing:
  // it then joins by nested loop, rescanning the arrays for every alert row, and 5,000 repeats
  // took 2.5-3.4 s (seen in PostgreSQL's auto_explain under bench:ingest). `id = ANY` and
  // arrays of constants were not enough against a selectivity of zero, so this one statement
  // runs with nested loops off: a hash join costs one pass over each side, whatever the statistics.
  const ids = taken.map((t) => t.id).join(',');
  const counts = taken.map((t) => t.count).join(',');
  const seen = taken.map((t) => t.lastSeen.toISOString()).join(',');
  await ctx.tx.execute(
    sql`SELECT set_config('siaga.nestloop', current_setting('enable_nestloop'), true), set_config('enable_nestloop', 'off', true)`,
  );
  const res = await ctx.tx.execute(
    sql`UPDATE alerts a SET count = a.count + d.n, last_seen_at = greatest(a.last_seen_at, d.t)
      FROM unnest(string_to_array(${ids}, ',')::uuid[], string_to_array(${counts}, ',')::int[],
        string_to_array(${seen}, ',')::timestamptz[]) AS d(id, n, t)
      WHERE a.id = ANY(string_to_array(${ids}, ',')::uuid[]) AND a.id = d.id AND a.workspace_id = ${ctx.workspaceId} AND a.status = 'firing'
        AND NOT a.flapping AND a.suppressed_by IS NULL
      RETURNING a.id`,
  );
  await ctx.tx.execute(sql`SELECT set_config('enable_nestloop', current_setting('siaga.nestloop'), true)`);
  const written = new Set(resultRows<{ id: string }>(res).map((r) => r.id));
  return taken.filter((t) => !written.has(t.id)).map((t) => t.alert);
}
