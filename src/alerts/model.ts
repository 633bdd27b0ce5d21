import type { RaisedAlert } from '../kernel/ports.ts';

/** An alert as an intake adapter hands it over: the port's shape plus the bounded raw payload. */
export type IncomingAlert = RaisedAlert & {
  raw?: unknown;
  integrationId?: string | null;
  /** Only the status changes (PagerDuty's resolve): labels, title and payload stay as stored. */
  statusOnly?: boolean;
};

/** The raw payload is kept for people reading the alert, not for replay: bounded so one sender cannot bloat the table. */
export const RAW_LIMIT = 16 * 1024;

export function boundRaw(raw: unknown): unknown {
  if (raw === undefined) return null;
  const text = JSON.stringify(raw);
  if (text.length <= RAW_LIMIT) return raw;
  return { truncated: true, size: text.length, head: text.slice(0, RAW_LIMIT) };
}
