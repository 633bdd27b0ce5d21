import type { SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database, Tx } from '../db/client.ts';
import type { Clock } from '../shared/clock.ts';
import type { Hooks } from './hooks.ts';
import type { AlertSink, Notifier, OnCallDirectory } from './ports.ts';

/** A durable job to enqueue in the same transaction as the change that needs it. */
export type JobRequest = {
  name: string;
  data: Record<string, unknown>;
  startAfter?: Date;
  /** At most one queued job with this key: a duplicate enqueue is a no-op. */
  singletonKey?: string;
};

export interface JobSink {
  send(tx: Tx, jobs: JobRequest[]): Promise<void>;
  /** The statements that enqueue `jobs`, as `WITH` parts for the caller's own statement. */
  writes(tx: Tx, jobs: JobRequest[]): Promise<SQL[]>;
}

/** What a Siaga process runs on. Built once at start-up; tests build their own. */
export type Env = {
  database: Database;
  clock: Clock;
  log: Logger;
  jobs: JobSink | null;
  /** Base URL for links in notifications and the CLI's hints. */
  publicUrl: string;
  hooks: Hooks;
  /** Delivers notices to people (implemented by the notify module). */
  notifier: Notifier | null;
  /** Takes alerts from sources Siaga runs itself (implemented by the alerts module). */
  alerts: AlertSink | null;
  /** Resolves schedules and teams to the people on call (implemented by the oncall module). */
  oncall: OnCallDirectory | null;
};
