import { describe, expect, it } from 'vitest';
import type { Outcome } from './ingest.ts';
import type { IncomingAlert } from './model.ts';
import { FLUSH_MS, Repeats } from './repeats.ts';

const WS = 'ws-1';
const INTEGRATION = 'int-1';
const now = new Date('2026-01-05T09:00:00Z');

const firing = (instance: string): IncomingAlert => ({
  source: 'integration:prom',
  fingerprint: `fp-${instance}`,
  status: 'firing',
  title: `Disk full on ${instance}`,
  labels: { alertname: 'DiskFull', instance },
  startsAt: now,
});
const stored = (a: IncomingAlert): Outcome => ({
  id: `id-${a.fingerprint}`,
  fingerprint: a.fingerprint,
  created: true,
  action: 'open',
  incidentId: 'inc-1',
  repeatable: true,
});

/** A Repeats that stored these alerts, then noted one repeat of each at `wall`. */
function withRepeats(alerts: IncomingAlert[], wall: number, capacity?: number) {
  const r = new Repeats(capacity);
  r.learn(WS, alerts, alerts.map(stored));
  for (const a of alerts) {
    const split = r.split(WS, [a], () => false);
    expect(split.ingest).toEqual([]);
    r.note(INTEGRATION, [a], split, now, wall);
  }
  return r;
}

describe('taking the noted repeats of some alerts only', () => {
  it('hands over those alerts’ repeats and leaves the others, still due on their first note', () => {
    const [a, b, c] = ['db-1', 'db-2', 'db-3'].map(firing) as [IncomingAlert, IncomingAlert, IncomingAlert];
    const r = withRepeats([a, b, c], 0);
    const taken = r.takeOf(INTEGRATION, [b, firing('db-9')]);
    expect(taken.map((t) => t.id)).toEqual(['id-fp-db-2']);
    expect(r.hasPending(INTEGRATION, b)).toBe(false);
    expect(r.hasPending(INTEGRATION, a)).toBe(true);
    expect(r.due(INTEGRATION, FLUSH_MS)).toBe(true);
    expect(r.overdue(INTEGRATION, FLUSH_MS)).toBe(false);
    expect(r.overdue(INTEGRATION, 2 * FLUSH_MS)).toBe(true);
    expect(r.take(INTEGRATION).map((t) => t.id)).toEqual(['id-fp-db-1', 'id-fp-db-3']);
  });

  it('a piece at a time: the longest noted first, the rest still due', () => {
    const alerts = ['db-1', 'db-2', 'db-3'].map(firing);
    const r = withRepeats(alerts, 0);
    expect(r.take(INTEGRATION, 2).map((t) => t.id)).toEqual(['id-fp-db-1', 'id-fp-db-2']);
    expect(r.due(INTEGRATION, FLUSH_MS)).toBe(true);
    expect(r.take(INTEGRATION, 2).map((t) => t.id)).toEqual(['id-fp-db-3']);
    expect(r.integrationsWithPending()).toEqual([]);
  });

  it('what is left after a piece is due by its own first note, not the piece’s', () => {
    const [a, b] = ['db-1', 'db-2'].map(firing) as [IncomingAlert, IncomingAlert];
    const r = withRepeats([a], 0);
    r.learn(WS, [b], [stored(b)]);
    r.note(
      INTEGRATION,
      [b],
      r.split(WS, [b], () => false),
      now,
      900,
    );
    r.note(
      INTEGRATION,
      [a],
      r.split(WS, [a], () => false),
      now,
      950,
    ); // a again: still first
    expect(r.take(INTEGRATION, 1).map((t) => [t.id, t.count])).toEqual([['id-fp-db-1', 2]]);
    expect(r.due(INTEGRATION, FLUSH_MS)).toBe(false);
    expect(r.due(INTEGRATION, 900 + FLUSH_MS)).toBe(true);
  });

  it('what a failed round took goes back ahead of what was noted since, counts merged', () => {
    const [a, b] = ['db-1', 'db-2'].map(firing) as [IncomingAlert, IncomingAlert];
    const r = withRepeats([a, b], 0);
    const taken = r.take(INTEGRATION);
    r.note(
      INTEGRATION,
      [b],
      r.split(WS, [b], () => false),
      now,
      2000,
    );
    r.restore(INTEGRATION, taken);
    expect(r.due(INTEGRATION, FLUSH_MS)).toBe(true);
    expect(r.take(INTEGRATION).map((t) => [t.id, t.count])).toEqual([
      ['id-fp-db-1', 1],
      ['id-fp-db-2', 2],
    ]);
  });

  it('nothing is left pending once the last is taken', () => {
    const a = firing('db-1');
    const r = withRepeats([a], 0);
    expect(r.takeOf(INTEGRATION, [a])).toHaveLength(1);
    expect(r.integrationsWithPending()).toEqual([]);
    expect(r.due(INTEGRATION, 10 * FLUSH_MS)).toBe(false);
  });

  it('finds an alert’s noted repeat after the memory of known alerts let that alert go', () => {
    const [a, b] = ['db-1', 'db-2'].map(firing) as [IncomingAlert, IncomingAlert];
    // Room for one known alert: learning b forgets a, whose repeat is still unwritten.
    const r = withRepeats([a], 0, 1);
    r.learn(WS, [b], [stored(b)]);
    expect(r.knowsAny(WS, [a])).toBe(false);
    // The next sighting of a goes the full way; its earlier repeat must be written before it.
    expect(r.hasPending(INTEGRATION, a)).toBe(true);
    expect(r.takeOf(INTEGRATION, [a]).map((t) => t.id)).toEqual(['id-fp-db-1']);
  });
});
