import type { Ctx } from './verb.ts';

/**
 * Ports between capabilities: the module that owns a concern implements the interface and the
 * composition root puts it on Env; other modules call it without importing that module. A port
 * left null (a test that does not wire the owner) must make the caller fail loudly or skip the
 * side effect deliberately, never pretend it happened.
 */

/** Someone to tell: a member, the holder of an incident role, or an on-call schedule. */
export type Recipient =
  | { user: string }
  | { role: string; incidentId: string }
  | { schedule: string }
  | { team: string };

/** One message for people, delivered on their notification rules and channels. */
export type Notice = {
  /** Stable per logical message, so retries and restarts never deliver it twice. */
  dedupKey: string;
  kind: string;
  to: Recipient[];
  subject: string;
  text: string;
  incidentId?: string;
  /** Drill notices go only to the channels the plan marks for drills. */
  drill?: boolean;
  /** Where the recipient can act (the incident room, the post-mortem). */
  url?: string;
};

export interface Notifier {
  /** Records the notice and enqueues its delivery, in the caller's transaction. */
  notify(ctx: Ctx, notice: Notice): Promise<void>;
}

/** An alert from a source Siaga runs itself (a synthetic monitor, a drill scenario, a heartbeat). */
export type RaisedAlert = {
  /** Which integration or internal source raised it ("monitor:checkout", "drill:ledger"). */
  source: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  title: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt: Date;
  endsAt?: Date;
};

export interface AlertSink {
  /** Stores, deduplicates and routes the alerts by the plan, in the caller's transaction. */
  raise(ctx: Ctx, alerts: RaisedAlert[]): Promise<void>;
}

/** Who is on call: implemented by the oncall module, read by escalation and notify. */
export interface OnCallDirectory {
  /**
   * The users (ids) a schedule or team means at an instant: whoever holds the shift there,
   * after overrides and layers. A key that names nothing is an empty list, not an error: the
   * caller records "nobody on call" rather than failing the page.
   */
  resolve(ctx: Ctx, to: { schedule: string } | { team: string }, at: Date): Promise<string[]>;
}
