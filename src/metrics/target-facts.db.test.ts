import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { FIXTURE_PLAN, withPlan } from '../../test/support/incidents.ts';
import { ingestAlerts } from '../alerts/ingest.ts';
import { incidents } from '../incidents/tables.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import { acknowledge, changeStatus } from '../incidents/verbs/lifecycle.ts';
import { runVerb } from '../kernel/verb.ts';
import { metricsModule } from './module.ts';
import { type Period, rowsOf, type TargetRow, targetShares } from './queries.ts';
import { incidentTargetFacts } from './tables.ts';

/**
 * The targets count reads incident_target_facts, a per-incident digest of incident_clock_results
 * that copies the incident's detection time and drill flag. These tests hold it to the count the
 * stored results themselves give, through every change of those sources.
 */
let w: TestWorld;
const MIN = 60_000;
const JAN: Period = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') };
const FEB: Period = { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z') };
// Alerts named alike join one incident, so a later alert can carry an earlier start.
const PLAN = `${FIXTURE_PLAN}
routing:
  rules:
    - key: grouped
      match: { alertname: { present: true } }
      group_by: [alertname]
`;

const as = <T>(fn: Parameters<typeof runVerb<T>>[2]) => runVerb(w.env, w.admin.scope, fn);
const at = (iso: string, plusMs = 0) => w.clock.set(new Date(Date.parse(iso) + plusMs));
const db = () => w.env.database.db;

/** The count as it was made before the facts table: every stored result joined to its incident. */
async function fromResults(p: Period): Promise<Omit<TargetRow, 'share'>[]> {
  const rows = await rowsOf(
    db(),
    sql`SELECT r.kind, coalesce(r.clock_key, '*') AS key,
      count(*) FILTER (WHERE r.state = 'met')::int AS met, count(*) FILTER (WHERE r.state = 'breached')::int AS missed
    FROM incident_clock_results r JOIN incidents i ON i.id = r.incident_id
    WHERE i.workspace_id = ${w.workspaceId} AND NOT i.drill AND i.detected_at >= ${p.from} AND i.detected_at < ${p.to}
      AND r.state IN ('met', 'breached')
    GROUP BY ROLLUP (r.kind, r.clock_key) HAVING r.kind IS NOT NULL ORDER BY r.kind, r.clock_key NULLS FIRST`,
  );
  return rows.map((r) => ({
    kind: String(r.kind),
    key: String(r.key),
    met: r.met as number,
    missed: r.missed as number,
  }));
}

async function targets(p: Period) {
  const { targets } = await targetShares(db(), w.workspaceId, p, w.clock.now());
  return targets.filter((t) => t.kind !== 'postmortem').map(({ share: _, ...t }) => t);
}

/** Met and missed of one target in a period, and that the whole list agrees with the stored results. */
async function target(p: Period, key: string) {
  const list = await targets(p);
  expect(list).toEqual(await fromResults(p));
  const t = list.find((x) => x.key === key);
  return t ? [t.met, t.missed] : [0, 0];
}

async function factsOf(ref: number) {
  const [inc] = await db().select().from(incidents).where(eq(incidents.number, ref));
  const [f] = await db()
    .select()
    .from(incidentTargetFacts)
    .where(eq(incidentTargetFacts.incidentId, inc!.id));
  return { inc: inc!, facts: f };
}

/** Declared at `iso`, acknowledged after `ackMin` minutes and resolved after `resolveMin`. */
async function resolved(
  iso: string,
  severity: 'P1' | 'P2',
  ackMin: number,
  resolveMin: number,
  drill = false,
) {
  at(iso);
  const inc = await as((ctx) => declareIncident(ctx, { title: 'Down', type: 'outage', severity, drill }));
  at(iso, ackMin * MIN);
  await as((ctx) => acknowledge(ctx, inc.ref));
  at(iso, resolveMin * MIN);
  await as((ctx) => changeStatus(ctx, inc.ref, 'resolved'));
  return inc.ref;
}

beforeEach(async () => {
  w = await createWorld();
  at('2026-01-01T00:00:00Z');
  await withPlan(w, PLAN);
  metricsModule().hooks!(w.env.hooks, w.env);
});
afterEach(() => w.close());

describe('target facts', () => {
  it('count what the stored clock results say, period by period, drills left out', async () => {
    // P1 responds in 15m and resolves in 4h; P2 in 1h and 8h.
    await resolved('2026-01-10T01:00:00Z', 'P1', 10, 120); // response met, mttr met
    await resolved('2026-01-11T01:00:00Z', 'P1', 20, 300); // both missed
    await resolved('2026-01-12T01:00:00Z', 'P2', 30, 600); // response met, mttr missed
    await resolved('2026-01-13T01:00:00Z', 'P1', 1, 10, true); // a drill
    await resolved('2026-02-02T01:00:00Z', 'P2', 90, 60 * 7); // response missed, mttr met
    at('2026-01-20T01:00:00Z');
    await as((ctx) => declareIncident(ctx, { title: 'Open', type: 'outage', severity: 'P1' }));
    expect(await target(JAN, 'response')).toEqual([2, 1]);
    expect(await target(JAN, 'mttr')).toEqual([1, 2]);
    expect(await target(FEB, 'response')).toEqual([0, 1]);
    expect(await target(FEB, 'mttr')).toEqual([1, 0]);
    expect(await target({ from: JAN.from, to: FEB.to }, 'mttr')).toEqual([2, 2]);
    // Every resolved incident has a digest; the open one has none.
    const written = await db().select().from(incidentTargetFacts).orderBy(incidentTargetFacts.detectedAt);
    expect(written).toHaveLength(5);
    // The migration's backfill of results stored before it writes the same rows, text for text,
    // so old and new incidents with equal outcomes share a group.
    const migration = readFileSync(
      join(import.meta.dirname, '../db/migrations/0009_target_facts.sql'),
      'utf8',
    );
    await db().delete(incidentTargetFacts);
    await w.env.database.exec(migration.slice(migration.lastIndexOf('INSERT INTO incident_target_facts')));
    expect(await db().select().from(incidentTargetFacts).orderBy(incidentTargetFacts.detectedAt)).toEqual(
      written,
    );
  });

  it('an alert starting earlier moves the incident, and its targets, to the month it began', async () => {
    const alert = (fingerprint: string, startsAt: string) => ({
      source: 'prometheus',
      fingerprint,
      status: 'firing' as const,
      title: 'High error rate',
      labels: { alertname: 'HighErrorRate' },
      startsAt: new Date(startsAt),
    });
    at('2026-02-02T01:00:00Z');
    await as((ctx) => ingestAlerts(ctx, [alert('a', '2026-02-02T01:00:00Z')]));
    at('2026-02-02T01:05:00Z');
    await as((ctx) => ingestAlerts(ctx, [alert('b', '2026-01-31T23:00:00Z')]));
    const { inc } = await factsOf(1);
    expect(inc.detectedAt.toISOString()).toBe('2026-01-31T23:00:00.000Z');
    at('2026-02-02T01:10:00Z');
    await as((ctx) => acknowledge(ctx, 'INC-1'));
    await as((ctx) => changeStatus(ctx, 'INC-1', 'resolved'));
    // Acknowledged 26 hours after the first signal: missed, and in January.
    expect(await target(JAN, 'response')).toEqual([0, 1]);
    expect(await target(FEB, 'response')).toEqual([0, 0]);
    expect((await factsOf(1)).facts?.detectedAt).toEqual(inc.detectedAt);
  });

  it('follow a detection time corrected after the incident resolved, in the same transaction', async () => {
    await resolved('2026-01-30T01:00:00Z', 'P1', 10, 120);
    expect(await target(JAN, 'response')).toEqual([1, 0]);
    // No verb moves a resolved incident's detection today; whatever does later must not leave
    // the digest behind (nor may a rollback leave it moved).
    const later = new Date('2026-02-03T00:00:00Z');
    await expect(
      db().transaction(async (tx) => {
        await tx.update(incidents).set({ detectedAt: later }).where(eq(incidents.number, 1));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await factsOf(1)).facts?.detectedAt.toISOString()).toBe('2026-01-30T01:00:00.000Z');
    await db().update(incidents).set({ detectedAt: later }).where(eq(incidents.number, 1));
    expect((await factsOf(1)).facts?.detectedAt).toEqual(later);
    expect(await target(JAN, 'response')).toEqual([0, 0]);
    expect(await target(FEB, 'response')).toEqual([1, 0]);
  });

  it('leave out an incident marked a drill after it resolved, and count it again unmarked', async () => {
    await resolved('2026-01-10T01:00:00Z', 'P1', 10, 120);
    await resolved('2026-01-11T01:00:00Z', 'P1', 20, 120);
    expect(await target(JAN, 'response')).toEqual([1, 1]);
    await db().update(incidents).set({ drill: true }).where(eq(incidents.number, 2));
    expect((await factsOf(2)).facts?.drill).toBe(true);
    expect(await target(JAN, 'response')).toEqual([1, 0]);
    await db().update(incidents).set({ drill: false }).where(eq(incidents.number, 2));
    expect(await target(JAN, 'response')).toEqual([1, 1]);
  });

  it('are gone while an incident is reopened and rebuilt when it resolves again', async () => {
    const ref = await resolved('2026-01-10T01:00:00Z', 'P1', 10, 120);
    expect(await target(JAN, 'mttr')).toEqual([1, 0]);
    at('2026-01-10T04:00:00Z');
    await as((ctx) => changeStatus(ctx, ref, 'investigating', 'back again'));
    expect((await factsOf(1)).facts).toBeUndefined();
    expect(await target(JAN, 'mttr')).toEqual([0, 0]);
    at('2026-01-10T07:00:00Z');
    await as((ctx) => changeStatus(ctx, ref, 'resolved'));
    // Six hours from detection to the final resolution: the 4h target was missed.
    expect(await target(JAN, 'mttr')).toEqual([0, 1]);
    await as((ctx) => changeStatus(ctx, ref, 'closed'));
    expect(await target(JAN, 'mttr')).toEqual([0, 1]);
    expect(await db().select().from(incidentTargetFacts)).toHaveLength(1);
  });
});
