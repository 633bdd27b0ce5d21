import type { Env } from '../kernel/env.ts';
import { runVerb } from '../kernel/verb.ts';
import { Coalescer } from './coalesce.ts';
import { ingestAlerts, type Outcome } from './ingest.ts';
import type { IntakeCache } from './intake-cache.ts';
import type { IntegrationRow } from './integrations.ts';
import type { IncomingAlert } from './model.ts';
import { FLUSH_MS, Repeats, writeRepeats } from './repeats.ts';
import { type SilenceRow, silenceFor } from './silences.ts';

/**
 * Where the intake endpoints hand a post's alerts: stored by the integration's rounds (see
 * coalesce.ts), or answered at once when they are nothing but unchanged repeats (see
 * repeats.ts). Either way a post is answered only when what it says is durably stored.
 */
export class IntakeStore {
  private readonly env: Env;
  private readonly cache: IntakeCache;
  private readonly senders = new Map<string, IntegrationRow>();
  private readonly repeats = new Repeats();
  /** Integrations whose round in flight only writes noted repeats behind: it changes no alert's state. */
  private readonly writingBehind = new Set<string>();
  private readonly coalescer: Coalescer<IncomingAlert, Outcome>;
  private readonly timer: NodeJS.Timeout;

  constructor(env: Env, cache: IntakeCache) {
    this.env = env;
    this.cache = cache;
    this.coalescer = new Coalescer((id, items) => this.round(id, items));
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
    return this.coalescer.submit(row.id, items);
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
    await Promise.all(
      this.repeats
        .integrationsWithPending()
        .filter((id) => !due || (this.repeats.due(id, wall) && !this.coalescer.busy(id)))
        .map((id) => this.coalescer.submit(id, [])),
    );
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
    if (items.length === 0 || this.coalescer.waiting(id)) return undefined;
    const busy = this.coalescer.busy(id);
    if (busy ? !this.writingBehind.has(id) : this.repeats.due(id, wall)) return undefined;
    const ws = row.workspaceId;
    if (!this.repeats.knowsAny(ws, items)) return undefined;
    if (!silences) return null;
    const now = this.env.clock.now();
    const split = this.repeats.split(ws, items, (a) => silenceFor(silences, a, now) !== undefined);
    if (split.ingest.length > 0) return undefined;
    this.repeats.note(id, items, split, now, wall);
    return split.answered as Outcome[];
  }

  private async storeAfterReadingSilences(row: IntegrationRow, items: IncomingAlert[]): Promise<Outcome[]> {
    const live = await this.cache.liveSilences(row.workspaceId, this.env.clock.now(), performance.now());
    // Checked again: a round may have started, or a post queued, while the silences were read.
    return this.answerAtOnce(row, items, live, performance.now()) ?? this.coalescer.submit(row.id, items);
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
    // An empty round is the write-behind asking for its turn (the timer, a read, shutdown).
    if (items.length > 0 && split.ingest.length === 0 && !this.repeats.due(id, wall)) {
      this.repeats.note(id, items, split, now, wall);
      return split.answered as Outcome[];
    }
    const taken = this.repeats.take(id);
    if (items.length === 0 && taken.length === 0) return [];
    let stale: IncomingAlert[] = [];
    if (split.ingest.length === 0) this.writingBehind.add(id);
    try {
      const stored = await runVerb(
        this.env,
        {
          workspaceId: ws,
          actor: { type: 'integration', id: row.id, name: row.name },
        },
        async (ctx) => {
          stale = await writeRepeats(ctx, taken);
          return ingestAlerts(ctx, [...stale, ...split.ingest]);
        },
      );
      this.repeats.learn(ws, [...stale, ...split.ingest], stored);
      this.repeats.note(id, items, split, now, wall);
      let k = stale.length;
      return split.answered.map((o) => o ?? stored[k++]!);
    } catch (err) {
      this.repeats.restore(id, taken, wall);
      for (const a of split.ingest) this.repeats.forget(ws, a);
      throw err;
    } finally {
      this.writingBehind.delete(id);
    }
  }
}
