import type { Duration } from '../shared/duration.ts';

/** A phase target is one duration or one per severity; a Duration is told apart by its fields. */
export function isDuration(v: unknown): v is Duration {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { text?: unknown }).text === 'string' &&
    typeof (v as { ms?: unknown }).ms === 'number'
  );
}

const DAY = 24 * 3600_000;

/**
 * A duration's typical length, for checks of order only ("starts" before "target"): months and
 * business days have no fixed length, so they are taken at their longest usual reading
 * (31 days; a business day over a weekend, 3 days) to keep the check from crying wolf.
 */
export function roughMs(d: Duration): number {
  return d.ms + d.months * 31 * DAY + d.businessDays * 3 * DAY;
}

/** Shortest usual reading, the other side of the same check. */
export function roughMinMs(d: Duration): number {
  return d.ms + d.months * 28 * DAY + d.businessDays * DAY;
}
