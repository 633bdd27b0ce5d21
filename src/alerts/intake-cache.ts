import type { Env } from '../kernel/env.ts';
import { LIVE_CHANNEL, type LiveEvent, parseLivePayload } from '../kernel/verb.ts';
import { type LoadedPlan, loadActivePlan, PLAN_APPLIED } from '../plans/store.ts';
import { INTEGRATIONS_CHANGED, type IntegrationRow, integrationBySecret } from './integrations.ts';
import { liveSilences, SILENCES_CHANGED, type SilenceRow } from './silences.ts';

/**
 * How long an entry is trusted without a word from the database. Changes are announced (in this
 * process at commit, in others by NOTIFY), so this only bounds what a lost notification costs:
 * a rotated secret or a new silence takes effect here within that time and one read at worst.
 */
export const TRUST_MS = 2000;
const MAX_SECRETS = 10_000;

type Held<T> = { value: T; at: number };

/**
 * The integration a secret names, each workspace's live silences and its active plan (where a
 * generic webhook's mapping may be written), held between posts. A
 * storm is thousands of posts a second from a handful of senders: reading the integration row
 * for each one put a database round trip (on the embedded database, a wait behind the commit in
 * flight) in front of every answer. Unknown secrets are not held, so an integration created a
 * moment ago is found, and a prober's guesses cannot fill the map.
 */
export class IntakeCache {
  private readonly env: Env;
  private readonly secrets = new Map<string, Held<IntegrationRow>>();
  private readonly silences = new Map<string, Held<SilenceRow[]>>();
  private readonly plans = new Map<string, Held<LoadedPlan | null>>();
  private readonly refreshing = new Set<string>();
  private unlisten: (() => Promise<void>) | null = null;
  /** Bumped by every change: a read that started before one must not store what it read. */
  private generation = 0;

  private readonly trustMs: number;

  constructor(env: Env, trustMs = TRUST_MS) {
    this.env = env;
    this.trustMs = trustMs;
    env.hooks.onCommitted((workspaceId, events) => this.changed(workspaceId, events));
  }

  async start(): Promise<void> {
    this.unlisten = await this.env.database.listen(LIVE_CHANNEL, (payload) => {
      const msg = parseLivePayload(payload);
      if (msg) this.changed(msg.workspaceId, msg.events);
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
  }

  /**
   * The enabled integration this secret belongs to, or null. An entry past its trust is still
   * answered from, while one read refreshes it: that read waited its turn at the database in
   * front of the post (on the embedded database, behind a storm's rounds), every TRUST_MS.
   */
  async integration(secret: string, wall: number): Promise<IntegrationRow | null> {
    // Held by the secret itself, which every post carries anyway: hashing it per post to find
    // the entry cost a SHA-256 per request.
    const read = () => this.readIntegration(secret, wall);
    const held = this.peek(this.secrets, secret, wall, 'i', read);
    return held ? held.value : read();
  }

  private async readIntegration(secret: string, wall: number): Promise<IntegrationRow | null> {
    const gen = this.generation;
    const row = await integrationBySecret(this.env.database.db, secret);
    if (!row) {
      this.secrets.delete(secret);
      return null;
    }
    if (gen === this.generation && !this.secrets.has(secret) && this.secrets.size >= MAX_SECRETS)
      this.secrets.clear();
    return this.keep(this.secrets, secret, gen, row, wall);
  }

  /** The live silences held for the workspace, if any; past their trust, one read refreshes them. */
  heldSilences(workspaceId: string, wall: number): SilenceRow[] | undefined {
    const read = () => this.readSilences(workspaceId, this.env.clock.now(), wall);
    return this.peek(this.silences, workspaceId, wall, 's', read)?.value;
  }

  /** Silences not yet over when read; `silenceFor` checks each one's window at the moment asked. */
  async liveSilences(workspaceId: string, now: Date, wall: number): Promise<SilenceRow[]> {
    return this.heldSilences(workspaceId, wall) ?? this.readSilences(workspaceId, now, wall);
  }

  private async readSilences(workspaceId: string, now: Date, wall: number): Promise<SilenceRow[]> {
    const gen = this.generation;
    const rows = await liveSilences(this.env.database.db, workspaceId, now);
    return this.keep(this.silences, workspaceId, gen, rows, wall);
  }

  /**
   * The workspace's active plan, for what a post needs before its round (a webhook's mapping);
   * the round itself reads the plan in its transaction. Held and refreshed as silences are.
   */
  async activePlan(workspaceId: string, wall: number): Promise<LoadedPlan | null> {
    const read = async () => {
      const gen = this.generation;
      const plan = await loadActivePlan(this.env.database.db, workspaceId);
      return this.keep(this.plans, workspaceId, gen, plan, wall);
    };
    const held = this.peek(this.plans, workspaceId, wall, 'p', read);
    return held ? held.value : read();
  }

  /** The entry held under `key`; past its trust, `read` refreshes it off the caller's path. */
  private peek<T>(
    map: Map<string, Held<T>>,
    key: string,
    wall: number,
    kind: string,
    read: () => Promise<unknown>,
  ): Held<T> | undefined {
    const held = map.get(key);
    if (held && wall - held.at >= this.trustMs) this.refresh(`${kind}:${key}`, read);
    return held;
  }

  /** Holds what a read returned, unless a change came while it was reading (`gen` is stale). */
  private keep<T>(map: Map<string, Held<T>>, key: string, gen: number, value: T, wall: number): T {
    if (gen === this.generation) map.set(key, { value, at: wall });
    return value;
  }

  /** One refresh per entry at a time, off the request's path; a failed one is retried by the next post. */
  private refresh(key: string, read: () => Promise<unknown>): void {
    if (this.refreshing.has(key)) return;
    this.refreshing.add(key);
    read()
      .catch((err) => this.env.log.warn({ err }, 'refreshing the intake cache failed'))
      .finally(() => this.refreshing.delete(key));
  }

  private changed(workspaceId: string, events: LiveEvent[]): void {
    for (const e of events) {
      if (e.type === INTEGRATIONS_CHANGED || e.type === SILENCES_CHANGED || e.type === PLAN_APPLIED)
        this.generation++;
      // A secret's hash is not in the event, and changes are rare: forget them all.
      if (e.type === INTEGRATIONS_CHANGED) this.secrets.clear();
      if (e.type === SILENCES_CHANGED) this.silences.delete(workspaceId);
      if (e.type === PLAN_APPLIED) this.plans.delete(workspaceId);
    }
  }
}
