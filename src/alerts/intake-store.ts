import { atPriority } from '../db/turns.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb } from '../kernel/verb.ts';
import { Coalescer } from './coalesce.ts';
import { ingestAlerts, type Outcome } from './ingest.ts';
import type { IntakeCache } from './intake-cache.ts';
import type { IntegrationRow } from './integrations.ts';
import type { IncomingAlert } from './model.ts';
import { alertKey, FLUSH_MS, Repeats, writeRepeats } from './repeats.ts';
import { type SilenceRow, silenceFor } from './silences.ts';

/** Posts of at most this many alerts may take the express lane. */
export const EXPRESS_MAX = 10;

/**
 * ...and only while the bulk lane holds at least this many alerts, in flight and waiting.
 * Behind fewer, a post waits no longer than one round of them and then shares the next. When
 * the storm itself was one-alert posts, each lane paid a round's fixed cost for a few of them
 * and the two took turns on the storm's group lock: 540-810 new alerts/s, 1,000 and 760 with
 * this (PostgreSQL, PGlite; bench:ingest --batches 1 on a fresh database).
 */
export const EXPRESS_BEHIND = 100;

/**
 * How many alerts one bulk round takes from the posts waiting. On the embedded database a
 * round's transaction holds the only connection, and the thread, for its whole length: every
 * other writer (an express post, an escalation step, an API call) waits for it, and at 1,000 new
 * alerts/s rounds of up to 1,000 put a new alert's p99 at 160-190 ms (median of runs ~180).
 * Rounds of 100 brought it to 80-165 ms (median ~140) with the same throughput. Rounds of 50
 * (bigger posts in pieces) cost more than they gave: 99-112 ms against 112-139, but a first
 * storm of new alerts went in at a fraction of the rate and the 1,000 alerts/s background fell
 * to 780-900/s. On PostgreSQL other writers have their own connections, and bigger rounds share
 * a commit.
 */
export const ROUND_MAX = { pglite: 100, postgres: 1000 } as const;

/**
 * How many noted repeats one round writes behind. On the embedded database a write of a
 * second's repeats at 1,000 alerts/s (60-110 ms) held the connection while a new alert waited;
 * in pieces, urgent work gets a turn between them (see db/turns.ts). A full settle (before a
 * read, at shutdown) still writes them all. Each piece costs a transaction: against one write
 * a second, pieces of 250 put PGlite's CPU per one-alert post at 130-190 µs instead of 105-115,
 * pieces of 1,000 at about 100; the new-alert p99 was 72-86 ms with 250 and 93-96 with 1,000.
 */
export const WRITE_BEHIND_MAX = { pglite: 250, postgres: Number.POSITIVE_INFINITY } as const;

/**
 * Where the intake endpoints hand a post's alerts: stored by the integration's rounds (see
 * coalesce.ts), or answered at once when they are nothing but unchanged repeats (see
 * repeats.ts). Either way a post is answered only when what it says is durably stored.
 *
 * Each integration has two lanes. The bulk lane stores posts in arrival order, coalescing those
 * that wait into one round, and writes the noted repeats behind. The express lane takes a small
 * post while the bulk lane holds a storm's worth (EXPRESS_BEHIND), if none of its alerts is
 * anywhere in flight or waiting: a new
 * alert that opens an incident should not queue behind a storm's hundreds of attachments (on
 * PostgreSQL that wait was most of the new-alert p99). Every alert's sightings still apply in
 * arrival order: a post touching an alert the express lane holds goes after it, and so does the
 * bulk lane behind that post.
 */
export class IntakeStore {
  private readonly env: Env;
  private readonly cache: IntakeCache;
  private readonly senders = new Map<string, IntegrationRow>();
  private readonly repeats = new Repeats();
  /** Integrations whose round in flight only writes noted repeats behind: it changes no alert's state. */
  private readonly writingBehind = new Set<string>();
  private readonly coalescer: Coalescer<IncomingAlert, Outcome>;
  private readonly express: Coalescer<IncomingAlert, Outcome>;
  /** Alerts (by `alertKey`) in a post waiting or in flight: how many such posts, and when the last ends. */
  private readonly claimed = new Map<string, { posts: number; last: Promise<unknown> }>();
  /** The same for the express lane alone: each alert's post, settled when its round is. */
  private readonly expressHeld = new Map<string, Promise<unknown>>();
  /** Per integration: bulk posts waiting for an express post they follow, in arrival order. */
  private readonly gates = new Map<string, { tail: Promise<unknown>; waiting: number }>();
  private readonly timer: NodeJS.Timeout;
  /** Full settles in progress: their rounds write every noted repeat, not a piece. */
  private settlingAll = 0;

  constructor(env: Env, cache: IntakeCache) {
    this.env = env;
    this.cache = cache;
    this.coalescer = new Coalescer((id, items) => this.round(id, items), ROUND_MAX[env.database.kind]);
    this.express = new Coalescer((id, items) => this.expressRound(id, items));
    this.timer = setInterval(() => {
      this.settle(true).catch((err) => env.log.error({ err }, 'writing alert repeats failed'));
    }, FLUSH_MS / 4);
    this.timer.unref();
  }

  /** Stores a post's alerts; the outcomes, one per alert, once they are committed. */
  store(row: IntegrationRow, alerts: IncomingAlert[]): Outcome[] | Promise<Outcome[]> {
    this.senders.set(row.id, row);
    const items = alerts.map((a) => ({ ...a, integrationId: row.id }));
    const wall = performance.now();
    const answered = this.answerAtOnce(row, items, this.cache.heldSilences(row.workspaceId, wall), wall);
    if (answered) return answered;
    if (answered === null) return this.storeAfterReadingSilences(row, items);
    return this.submit(row, items);
  }

  /** Hands a post to a lane, holding its alerts until its round has settled. */
  private submit(row: IntegrationRow, items: IncomingAlert[]): Promise<Outcome[]> {
    const keys = items.map((a) => alertKey(row.workspaceId, a));
    const express = this.expressEligible(row, items, keys);
    const done = express ? this.express.submit(row.id, items) : this.submitBulk(row.id, keys, items);
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    for (const k of keys) {
      const c = this.claimed.get(k);
      if (c) {
        c.posts++;
        c.last = settled;
      } else this.claimed.set(k, { posts: 1, last: settled });
      if (express) this.expressHeld.set(k, settled);
    }
    void settled.then(() => {
      for (const k of keys) {
        const c = this.claimed.get(k)!;
        if (--c.posts === 0) this.claimed.delete(k);
        if (this.expressHeld.get(k) === settled) this.expressHeld.delete(k);
      }
    });
    return done;
  }

  /**
   * Resolves once every post received so far that holds one of these alerts is stored (or has
   * failed): for a change that does not go through a round, such as PagerDuty's acknowledge,
   * which must find the alert its trigger stored.
   */
  async after(row: IntegrationRow, alerts: IncomingAlert[]): Promise<void> {
    const waits = alerts.map((a) => this.claimed.get(alertKey(row.workspaceId, a))?.last).filter((p) => !!p);
    if (waits.length > 0) await Promise.all(waits);
  }

  /**
   * A small post whose alerts nothing ahead of it holds, while the bulk lane is busy with a
   * storm's worth: waiting for it could only delay the post, never change what it does.
   */
  private expressEligible(row: IntegrationRow, items: IncomingAlert[], keys: string[]): boolean {
    if (items.length === 0 || items.length > EXPRESS_MAX) return false;
    if (this.coalescer.load(row.id) < EXPRESS_BEHIND) return false;
    for (const k of keys) if (this.claimed.has(k)) return false;
    return !items.some((a) => this.repeats.hasPending(row.id, a));
  }

  /**
   * A bulk post that touches an alert the express lane holds waits for that express post, and
   * the integration's later bulk posts wait behind it, so the lane keeps arrival order.
   */
  private submitBulk(id: string, keys: string[], items: IncomingAlert[]): Promise<Outcome[]> {
    const after =
      this.expressHeld.size > 0 ? keys.map((k) => this.expressHeld.get(k)).filter((p) => !!p) : [];
    const gate = this.gates.get(id);
    if (after.length === 0 && !gate) return this.coalescer.submit(id, items);
    const g = gate ?? { tail: Promise.resolve(), waiting: 0 };
    this.gates.set(id, g);
    g.waiting++;
    const turn = g.tail.then(() => Promise.all(after));
    const done = turn.then(() => {
      if (--g.waiting === 0) this.gates.delete(id);
      return this.coalescer.submit(id, items);
    });
    g.tail = turn;
    return done;
  }

  /**
   * Writes every noted repeat now: before a read of alerts in this process, and at shutdown.
   * The timer (`due`) leaves alone an integration with a round in flight: the next post's round,
   * or the next tick, writes what is due. Queued behind the round, the timer's empty round would
   * make every post of repeats wait for both; under a storm on PostgreSQL that idled the server
   * a third of the time.
   */
  async settle(due = false): Promise<void> {
    const wall = performance.now();
    if (!due) this.settlingAll++;
    try {
      await Promise.all(
        this.repeats
          .integrationsWithPending()
          .filter((id) => !due || (this.repeats.due(id, wall) && !this.coalescer.busy(id)))
          .map((id) => this.writeBehind(id, due)),
      );
    } finally {
      if (!due) this.settlingAll--;
    }
  }

  /** One round of the write-behind; while what is left is due, the next piece as soon as this one is written, unless a post's round took over. */
  private async writeBehind(id: string, due: boolean): Promise<void> {
    await this.coalescer.submit(id, []);
    while (due && this.repeats.due(id, performance.now()) && !this.coalescer.busy(id))
      await this.coalescer.submit(id, []);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.settle();
  }

  /**
   * A post of nothing but unchanged repeats is answered now, without a round, when the answer
   * is what its round would give: no post waits before it (those came first and may change
   * these alerts), and no round is in flight but one that only writes earlier repeats behind
   * (it changes no alert's state). Under a storm those writes are most of the database work,
   * and one-alert posts spent more time passing through a round than being checked. Its
   * sightings are noted for the next write-behind. Synchronous, so nothing changes between
   * the checks and the answer.
   *
   * Returns null when the live silences must be read first, undefined when a round must store it.
   */
  private answerAtOnce(
    row: IntegrationRow,
    items: IncomingAlert[],
    silences: SilenceRow[] | undefined,
    wall: number,
  ): Outcome[] | null | undefined {
    const id = row.id;
    if (items.length === 0 || this.coalescer.waiting(id) || this.gates.has(id)) return undefined;
    const busy = this.coalescer.busy(id);
    // Overdue, the repeats go with the next post's round, which takes them all.
    if (busy ? !this.writingBehind.has(id) : this.repeats.overdue(id, wall)) return undefined;
    const ws = row.workspaceId;
    if (!this.repeats.knowsAny(ws, items)) return undefined;
    // A sighting of an alert the express lane holds comes after that post's change.
    if (this.expressHeld.size > 0 && items.some((a) => this.expressHeld.has(alertKey(ws, a))))
      return undefined;
    if (!silences) return null;
    const now = this.env.clock.now();
    const split = this.repeats.split(ws, items, (a) => silenceFor(silences, a, now) !== undefined);
    if (split.ingest.length > 0) return undefined;
    this.repeats.note(id, items, split, now, wall);
    // Due, the write-behind starts now rather than at the timer's next tick: until it is in
    // flight, posts could only be answered at once by its rules if nothing were due.
    if (!busy && this.repeats.due(id, wall))
      this.writeBehind(id, true).catch((err) => this.env.log.error({ err }, 'writing alert repeats failed'));
    return split.answered as Outcome[];
  }

  private async storeAfterReadingSilences(row: IntegrationRow, items: IncomingAlert[]): Promise<Outcome[]> {
    const live = await this.cache.liveSilences(row.workspaceId, this.env.clock.now(), performance.now());
    // Checked again: a round may have started, or a post queued, while the silences were read.
    return this.answerAtOnce(row, items, live, performance.now()) ?? this.submit(row, items);
  }

  /** An express round: a small post's alerts, stored the full way; it never writes repeats behind. */
  private async expressRound(id: string, items: IncomingAlert[]): Promise<Outcome[]> {
    const row = this.senders.get(id)!;
    const ws = row.workspaceId;
    try {
      const stored = await atPriority('urgent', () =>
        runVerb(this.env, integrationScope(row), (ctx) => ingestAlerts(ctx, items)),
      );
      this.repeats.learn(ws, items, stored);
      return stored;
    } catch (err) {
      for (const a of items) this.repeats.forget(ws, a);
      throw err;
    }
  }

  /** One round of an integration: its posts' alerts and its due repeats, in one transaction. */
  private async round(id: string, items: IncomingAlert[]): Promise<Outcome[]> {
    const row = this.senders.get(id)!;
    const ws = row.workspaceId;
    const now = this.env.clock.now();
    // Wall time, not the domain clock: it paces the write-behind, it is not a domain fact.
    const wall = performance.now();
    const live = this.repeats.knowsAny(ws, items) ? await this.cache.liveSilences(ws, now, wall) : [];
    const split = this.repeats.split(ws, items, (a) => silenceFor(live, a, now) !== undefined);
    // A round of a few alerts is someone's new alert: it writes only its own alerts' repeats,
    // and leaves a storm's to the write-behind (taking them put 55 ms on a new alert's answer).
    const small = items.length > 0 && items.length <= EXPRESS_MAX && !this.repeats.overdue(id, wall);
    // An empty round is the write-behind asking for its turn (the timer, a read, shutdown).
    if (items.length > 0 && split.ingest.length === 0 && (small || !this.repeats.due(id, wall))) {
      this.repeats.note(id, items, split, now, wall);
      return split.answered as Outcome[];
    }
    const taken = small
      ? this.repeats.takeOf(id, items)
      : this.repeats.take(id, this.settlingAll > 0 ? undefined : WRITE_BEHIND_MAX[this.env.database.kind]);
    if (items.length === 0 && taken.length === 0) return [];
    let stale: IncomingAlert[] = [];
    if (split.ingest.length === 0) this.writingBehind.add(id);
    try {
      const stored = await atPriority(small ? 'urgent' : 'background', () =>
        runVerb(this.env, integrationScope(row), async (ctx) => {
          stale = await writeRepeats(ctx, taken);
          const ingest = [...stale, ...split.ingest];
          // A piece of the write-behind alone needs neither the plan nor the silences.
          return ingest.length === 0 ? [] : ingestAlerts(ctx, ingest);
        }),
      );
      this.repeats.learn(ws, [...stale, ...split.ingest], stored);
      this.repeats.note(id, items, split, now, wall);
      let k = stale.length;
      return split.answered.map((o) => o ?? stored[k++]!);
    } catch (err) {
      this.repeats.restore(id, taken);
      for (const a of split.ingest) this.repeats.forget(ws, a);
      throw err;
    } finally {
      this.writingBehind.delete(id);
    }
  }
}

/** The scope of a verb an integration's post runs: its workspace, the integration as the actor. */
export const integrationScope = (row: IntegrationRow) => ({
  workspaceId: row.workspaceId,
  actor: { type: 'integration' as const, id: row.id, name: row.name },
});
