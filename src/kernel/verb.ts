import { type SQL, sql } from 'drizzle-orm';
import { type AuditEntry, appendAudit } from '../audit/append.ts';
import type { Actor } from '../audit/tables.ts';
import type { Tx } from '../db/client.ts';
import { runWrites } from '../db/write-parts.ts';
import type { Clock } from '../shared/clock.ts';
import type { Env, JobRequest } from './env.ts';
import type { DomainEvent } from './hooks.ts';

/** Who is acting, in which workspace. Transports build it from the credential. */
export type Scope = { workspaceId: string; actor: Actor };

/** Something that changed, for live views (the web app's SSE stream). Small: ids, not rows. */
export type LiveEvent = { type: string; incidentId?: string; id?: string };

export const LIVE_CHANNEL = 'siaga_live';

/**
 * A verb's view of the world: one transaction, one instant, one actor. Audit records, live
 * events and jobs are collected and written at the end, in the same transaction, so either
 * all of a change happens or none of it.
 */
export type Ctx = Scope & {
  tx: Tx;
  env: Env;
  clock: Clock;
  /** The instant of this operation; every timestamp it writes uses it. */
  now: Date;
  audit(action: string, subjectType: string, subjectId: string | null, data: Record<string, unknown>): void;
  publish(event: LiveEvent): void;
  enqueue(job: JobRequest): void;
  /** Raises a domain event; its subscribers run now, in this transaction. */
  emit(event: DomainEvent): Promise<void>;
  /**
   * A write nothing in this transaction reads unless it calls `settle` first: it rides in the
   * verb's last statement (see `db/write-parts.ts`) rather than costing a round trip now.
   */
  later(write: SQL): void;
  /** Runs the writes `later` holds, for a reader of what they write. */
  settle(): Promise<void>;
};

const RETRYABLE = new Set(['40001', '40P01']);

export async function runVerb<T>(env: Env, scope: Scope, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(env, scope, fn);
    } catch (err) {
      const code =
        (err as { code?: string; cause?: { code?: string } }).code ??
        (err as { cause?: { code?: string } }).cause?.code;
      if (attempt < 3 && code && RETRYABLE.has(code)) continue;
      throw err;
    }
  }
}

async function runOnce<T>(env: Env, scope: Scope, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const events: LiveEvent[] = [];
  const result = await env.database.db.transaction(async (tx) => {
    const audit: AuditEntry[] = [];
    const jobs: JobRequest[] = [];
    const later: SQL[] = [];
    const ctx: Ctx = {
      ...scope,
      tx,
      env,
      clock: env.clock,
      now: env.clock.now(),
      audit: (action, subjectType, subjectId, data) => audit.push({ action, subjectType, subjectId, data }),
      publish: (event) => events.push(event),
      enqueue: (job) => jobs.push(job),
      emit: (event) => env.hooks.emit(ctx, event),
      later: (write) => later.push(write),
      settle: () => runWrites(tx, later.splice(0)),
    };
    const result = await fn(ctx);
    if (jobs.length > 0 && !env.jobs)
      throw new Error(`cannot enqueue ${jobs[0]!.name}: this process has no job queue`);
    const writes = [...later, ...(jobs.length > 0 ? await env.jobs!.writes(tx, jobs) : [])];
    // One row however many payloads, so it can ride in the audit append's statement.
    const notify =
      events.length === 0
        ? undefined
        : sql`SELECT count(pg_notify(${LIVE_CHANNEL}, p)) FROM json_array_elements_text(${JSON.stringify(livePayloads(scope.workspaceId, events))}::json) AS p`;
    await appendAudit(tx, scope.workspaceId, ctx.now, scope.actor, audit, { writes, alongside: notify });
    return result;
  });
  if (events.length > 0) {
    // The change is committed: a watcher's failure must not turn it into an error for the caller.
    try {
      env.hooks.committed(scope.workspaceId, events);
    } catch (err) {
      env.log.error({ err }, 'a commit watcher failed');
    }
  }
  return result;
}

/**
 * A NOTIFY payload is capped at 8000 bytes, so a verb that touches many incidents (a batch of
 * escalation steps, an alert storm) sends its events in several payloads rather than dropping
 * the ones past the first: a live view that misses an event shows stale state until reload.
 */
export const EVENTS_PER_PAYLOAD = 50;

export function livePayloads(workspaceId: string, events: LiveEvent[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < events.length; i += EVENTS_PER_PAYLOAD) {
    out.push(JSON.stringify({ w: workspaceId, e: events.slice(i, i + EVENTS_PER_PAYLOAD) }));
  }
  return out;
}

/** A NOTIFY payload written by `livePayloads`, or null when it is not one. */
export function parseLivePayload(payload: string): { workspaceId: string; events: LiveEvent[] } | null {
  let parsed: { w?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof parsed.w !== 'string' || !Array.isArray(parsed.e)) return null;
  const events = parsed.e.filter(
    (raw): raw is LiveEvent =>
      !!raw && typeof raw === 'object' && typeof (raw as LiveEvent).type === 'string',
  );
  return { workspaceId: parsed.w, events };
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, name: 'siaga' };
