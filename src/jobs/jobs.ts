import { type SQL, sql } from 'drizzle-orm';
import { type Clock as BossClock, fromDrizzle, fromPglite, PgBoss } from 'pg-boss';
import type { Database, Tx } from '../db/client.ts';
import type { Env, JobRequest, JobSink } from '../kernel/env.ts';
import { groupBy } from '../shared/group-by.ts';

/** What a job does. It gets the process's Env and the data it was sent with. */
export type JobHandler = (
  env: Env,
  data: Record<string, unknown>,
  job: { id: string; retryCount: number },
) => Promise<void>;

export type FetchedJob = { id: string; retryCount: number; data: Record<string, unknown> };

/**
 * Handles everything one poll fetched at once, so many wake-ups can share one transaction.
 * Throwing fails (and retries) the whole batch: its jobs must be safe to run again.
 */
export type BatchJobHandler = (env: Env, jobs: FetchedJob[]) => Promise<void>;

export type JobDefinition = {
  name: string;
  /** Retries after a failure (default 5), with exponential backoff from `retryDelay` seconds. */
  retryLimit?: number;
  retryDelay?: number;
  /** Jobs fetched per poll and handled concurrently by this process. */
  batchSize?: number;
  /** How often idle workers poll, in seconds (pg-boss's minimum is 0.5). */
  pollingIntervalSeconds?: number;
  expireInSeconds?: number;
} & ({ handler: JobHandler; batchHandler?: never } | { batchHandler: BatchJobHandler; handler?: never });

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Durable jobs on pg-boss, in the same database as everything else (PGlite or PostgreSQL), so
 * a restart or a crashed process loses none. Jobs are enqueued inside the verb's transaction:
 * a rolled-back change leaves no job behind.
 *
 * Jobs are wake-ups, not the source of truth: work that must happen at a time (an escalation
 * step, a reminder) is recorded in its module's own tables with its due time and a fencing
 * token, and the job handler re-reads that state before acting. A duplicate or stale job then
 * does nothing, and a periodic auditor can find due work whose job went missing.
 */
export class JobSystem implements JobSink {
  private readonly boss: PgBoss;
  private readonly defs = new Map<string, JobDefinition>();
  private readonly periodic: { name: string; cron: string }[] = [];
  private started = false;
  private env: Env | undefined;
  readonly database: Database;

  constructor(database: Database, opts: { clock?: BossClock; schema?: string } = {}) {
    this.database = database;
    const common = { schema: opts.schema ?? 'pgboss', clock: opts.clock, persistQueueStats: false } as const;
    this.boss =
      database.kind === 'pglite'
        ? new PgBoss({ ...common, db: fromPglite(database.pglite!) })
        : new PgBoss({ ...common, connectionString: database.url!, max: 4 });
    this.boss.on('error', (err) => this.env?.log.error({ err }, 'job system error'));
  }

  define(def: JobDefinition): void {
    if (this.started) throw new Error(`define ${def.name} before the job system starts`);
    this.defs.set(def.name, def);
  }

  /** Runs a defined job on a cron schedule (UTC), e.g. an auditor every minute. */
  every(name: string, cron: string): void {
    this.periodic.push({ name, cron });
  }

  async start(env: Env): Promise<void> {
    this.env = env;
    await this.boss.start();
    for (const def of this.defs.values()) {
      await this.boss.createQueue(def.name, {
        retryLimit: def.retryLimit ?? 5,
        retryDelay: def.retryDelay ?? 2,
        retryBackoff: true,
        expireInSeconds: def.expireInSeconds ?? 300,
      });
      // Fills pg-boss's queue cache now: a cache miss inside a caller's transaction would query
      // over a second connection, which on PGlite waits for that very transaction.
      await this.boss.getJobById(def.name, ZERO_UUID);
      const batchSize = def.batchSize ?? 10;
      await this.boss.work<Record<string, unknown>>(
        def.name,
        {
          batchSize,
          pollingIntervalSeconds: def.pollingIntervalSeconds ?? 1,
          // A full batch means more may be waiting: fetch again at once instead of after a poll.
          burstWhenBatchFull: batchSize > 1,
        },
        async (fetched) => {
          const jobs = fetched.map((j) => ({ id: j.id, retryCount: j.retryCount ?? 0, data: j.data ?? {} }));
          if (def.batchHandler) return def.batchHandler(env, jobs);
          const handler = def.handler!;
          await Promise.all(jobs.map((j) => handler(env, j.data, j)));
        },
      );
    }
    for (const p of this.periodic) await this.boss.schedule(p.name, p.cron, {}, { tz: 'UTC' });
    this.started = true;
  }

  isReady(): boolean {
    return this.started;
  }

  async send(tx: Tx, jobs: JobRequest[]): Promise<void> {
    for (const write of await this.writes(tx, jobs)) await tx.execute(write);
  }

  /**
   * The inserts that enqueue `jobs`, for the caller to run as parts of a statement of its own:
   * a verb's jobs ride in its audit append's statement rather than costing a round trip per job
   * name. pg-boss writes its insert for us, so it stays the author of its own table; a statement
   * not of the shape a `WITH` part can hold is run here at once instead.
   */
  async writes(tx: Tx, jobs: JobRequest[]): Promise<SQL[]> {
    // Always explicit: the caller's connection may not share pg-boss's notion of now (a test
    // clock is attached per session), and the domain's clock is the one that counts.
    const now = this.env?.clock.now() ?? new Date();
    for (const job of jobs)
      if (!this.defs.has(job.name)) throw new Error(`no job named ${job.name} is defined`);
    const out: SQL[] = [];
    // One insert per job name, not per job: a verb that plans many steps (or a batch of steps
    // planning the next round) otherwise pays a statement each.
    for (const [name, list] of groupBy(jobs, (job) => job.name)) {
      const captured: { text: string; values: unknown[] }[] = [];
      const capture = {
        executeSql: async (text: string, values: unknown[] = []) => {
          captured.push({ text, values });
          return { rows: [] };
        },
      };
      await this.boss.insert(
        name,
        list.map((job) => ({
          data: job.data,
          startAfter: job.startAfter ?? now,
          ...(job.singletonKey !== undefined ? { singletonKey: job.singletonKey } : {}),
        })),
        { db: capture },
      );
      for (const c of captured) {
        const part = asWithPart(c.text, c.values);
        if (part) out.push(part);
        else await fromDrizzle(tx as never, sql as never).executeSql(c.text, c.values);
      }
    }
    return out;
  }

  /** Enqueues outside any verb (start-up catch-up, tests). */
  async sendNow(job: JobRequest): Promise<void> {
    await this.boss.send(job.name, job.data, {
      startAfter: job.startAfter ?? this.env?.clock.now() ?? new Date(),
      singletonKey: job.singletonKey,
    });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 5000, close: true });
  }
}

/**
 * A captured statement as a drizzle `SQL` that a `WITH` clause can hold: one INSERT whose only
 * placeholder is `$1` (pg-boss's job list). Anything else (a NOTIFY wrapper is a `WITH` of its
 * own, and data-modifying `WITH`s cannot nest) is null, and the caller runs it as it is.
 */
export function asWithPart(text: string, values: unknown[]): SQL | null {
  if (!/^\s*INSERT\s/i.test(text) || text.includes(';')) return null;
  const placeholders = text.match(/\$\d+/g) ?? [];
  if (placeholders.some((p) => p !== '$1') || values.length !== (placeholders.length > 0 ? 1 : 0))
    return null;
  const pieces = text.split('$1');
  const chunks: SQL[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0) chunks.push(sql`${values[0]}`);
    chunks.push(sql.raw(piece));
  });
  return sql.join(chunks);
}
