import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type PGliteOptions, types } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from './schema.ts';
import { Turns } from './turns.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** Runs one SQL text, possibly several statements, outside any transaction (migrations, tests). */
export type ExecSql = (sqlText: string) => Promise<void>;
export type QuerySql = <T = Record<string, unknown>>(sqlText: string, params?: unknown[]) => Promise<T[]>;

export type Session = { exec: ExecSql; query: QuerySql };

export type Database = Session & {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Runs `fn` on one connection (session-level state: advisory locks, multi-statement scripts). */
  session<T>(fn: (s: Session) => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on a channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** The embedded instance, when there is one (pg-boss's adapter needs it). */
  pglite?: PGlite;
  /** The pool and its URL, when on PostgreSQL. */
  pool?: pg.Pool;
  url?: string;
  close(): Promise<void>;
};

// int8 → number: our bigints (audit seq, counts) stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function openPostgres(url: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    pool,
    url,
    exec: async (text) => {
      await pool.query(text);
    },
    query: async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[],
    async session(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (text) => {
            await client.query(text);
          },
          query: async <T>(text: string, params?: unknown[]) =>
            (await client.query(text, params)).rows as T[],
        });
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      const client = await pool.connect();
      const handler = (msg: pg.Notification) => {
        if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
      };
      client.on('notification', handler);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        client.off('notification', handler);
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        client.release();
      };
    },
    close: () => pool.end(),
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * PGlite runs in this thread and answers each query with a promise that is already settled, so a
 * transaction is one unbroken chain of microtasks: until it commits nothing else runs, not even
 * the reading of a request off a socket. Under an alert storm a small post then waited for every
 * post that arrived with it, each run in turn as the event loop came round to it. One turn of
 * the event loop before each query lets requests arrive while a transaction runs. They queue for
 * the one connection in `turns` (see turns.ts), which lets what is urgent go first: a new alert
 * waits for the transaction in flight rather than for everything that came before it.
 */
function yielding<T extends object>(target: T, turns?: Turns): T {
  return new Proxy(target, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (typeof v !== 'function') return v;
      if (prop === 'query' || prop === 'exec')
        return async (...args: unknown[]) => {
          await turn();
          return turns ? turns.run(() => v.apply(t, args)) : v.apply(t, args);
        };
      // Inside a transaction (no `turns`) the turn is already held.
      if (prop === 'transaction' && turns)
        return (fn: (tx: object) => Promise<unknown>) =>
          turns.run(() => v.call(t, (tx: object) => fn(yielding(tx))));
      return v.bind(t);
    },
  });
}

export function wrapPglite(client: PGlite): Database {
  const db = drizzlePglite({ client: yielding(client, new Turns()), schema }) as unknown as Db;
  const session: Session = {
    exec: async (text) => {
      await client.exec(text);
    },
    query: async <T>(text: string, params?: unknown[]) =>
      (await client.query<T>(text, params as unknown[])).rows,
  };
  return {
    kind: 'pglite',
    db,
    pglite: client,
    ...session,
    // PGlite is a single connection already.
    session: (fn) => fn(session),
    async listen(channel, onPayload) {
      const unsub = await client.listen(channel, onPayload);
      return async () => unsub();
    },
    close: () => client.close(),
  };
}

/**
 * PGlite's own bytea parser makes a substring and a parseInt for every byte: the metrics scan's
 * packed durations (8 bytes per incident, three columns) took longer to parse than to compute.
 * Buffer decodes the same hex natively; a plain Uint8Array view keeps the type PGlite returns.
 */
const PGLITE_PARSERS = {
  [types.BYTEA]: (hex: string) => {
    const b = Buffer.from(hex.slice(2), 'hex');
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  },
};

/** A new embedded instance with Siaga's parsers (every PGlite that serves queries opens here). */
export async function createPglite(options: PGliteOptions = {}): Promise<Database> {
  return wrapPglite(await PGlite.create({ ...options, parsers: { ...PGLITE_PARSERS, ...options.parsers } }));
}

export async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return createPglite(dataDir ? { dataDir: join(dataDir, 'pgdata') } : {});
}

/** `postgres://…` selects PostgreSQL; anything else is the embedded database in the data dir. */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (opts.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(opts.databaseUrl)) {
      throw new Error(
        `DATABASE_URL must start with postgres:// or postgresql:// (got "${opts.databaseUrl}")`,
      );
    }
    return openPostgres(opts.databaseUrl);
  }
  return openPglite(opts.dataDir);
}
