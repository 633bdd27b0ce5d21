/**
 * Many steps coming due at once run in one transaction per workspace (fire.ts). These check the
 * guarantees one step alone had: each fires once, a replayed or duplicated wake-up does nothing,
 * an acknowledgement stops what it should, and one failing step does not hold the others back.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { worldIn } from '../../test/support/env.ts';
import { readPlan } from '../../test/support/incidents.ts';
import { createScenario, type Scenario } from '../../test/support/scenario.ts';
import { verifyWorkspace } from '../audit/verify.ts';
import { incidentEvents, incidents } from '../incidents/tables.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import { acknowledge } from '../incidents/verbs/lifecycle.ts';
import { runVerb, type Scope } from '../kernel/verb.ts';
import { applyOnCallFile } from '../oncall/apply.ts';
import { oncallModule } from '../oncall/module.ts';
import { applyPlan } from '../plans/store.ts';
import type { SiagaModule } from '../server/modules.ts';
import { escalationModule } from './module.ts';
import { auditSteps, runSteps } from './run-step.ts';
import { escalationPages, escalationSteps, escalations } from './tables.ts';

vi.setConfig({ testTimeout: 120_000 });

const PLAN = readPlan('provider-sync.yaml');
const TYPE = PLAN.match(/incident_types:\n\s+- key: (\w+)/)![1]!;
// provider-sync's plan has only a matrix, so the on-call file's policy for P1 wins.
const ONCALL = `siaga_oncall: oncall/1
schedules:
  - key: primary
    name: Primary
    time_zone: UTC
    layers: [{ participants: [alice@acme.test], shift: 1w, start: 2026-01-01 }]
policies:
  - key: page_until_ack
    label: Page until acknowledged
    applies_to: { severities: [P1] }
    steps:
      - { after: 5m, if: unacknowledged, notify: [{ schedule: primary }] }
      - { after: 60m, if: unacknowledged, notify: [{ schedule: primary }] }
`;

/**
 * A notifier that records notices in the caller's transaction, as the real one does, so a
 * rolled-back batch leaves no record; it can be made to fail for chosen incidents.
 */
function notifier() {
  const failFor = new Set<string>();
  const module: SiagaModule = {
    name: 'test-notifier',
    provide(env) {
      env.notifier = {
        async notify(ctx, notice) {
          if (failFor.has(notice.incidentId!)) throw new Error(`notifier down for ${notice.incidentId}`);
          await ctx.tx.execute(
            sql`INSERT INTO test_notices (incident_id, dedup_key) VALUES (${notice.incidentId}, ${notice.dedupKey})`,
          );
        },
      };
    },
  };
  const notices = () =>
    s.database.query<{ incidentId: string; dedupKey: string }>(
      'SELECT incident_id AS "incidentId", dedup_key AS "dedupKey" FROM test_notices',
    );
  return { module, notices, failFor };
}

let s: Scenario;
afterEach(() => s.close());

async function start() {
  const rec = notifier();
  s = await createScenario({ modules: [rec.module, oncallModule(), escalationModule()] });
  await s.database.exec('CREATE TABLE test_notices (incident_id uuid NOT NULL, dedup_key text NOT NULL)');
  return rec;
}

/** A workspace with the plan, alice on call and the "page until acknowledged" policy. */
async function prepare(scope: Scope, addMember: (i: { email: string }) => Promise<unknown>) {
  await addMember({ email: 'alice@acme.test' });
  await runVerb(s.env, scope, (ctx) => applyPlan(ctx, { source: PLAN }));
  await runVerb(s.env, scope, (ctx) => applyOnCallFile(ctx, { source: ONCALL }));
}

async function declare(scope: Scope, n: number) {
  const out = [];
  for (let i = 0; i < n; i++)
    out.push(
      await runVerb(s.env, scope, (ctx) =>
        declareIncident(ctx, { title: `Down ${i}`, type: TYPE, severity: 'P1' }),
      ),
    );
  return out;
}

const firstSteps = () => s.database.db.select().from(escalationSteps).where(eq(escalationSteps.position, 0));

describe('many escalation steps due at once', () => {
  it('each fires exactly once, across workspaces, and replays do nothing', async () => {
    const rec = await start();
    await prepare(s.admin.scope, s.addMember);
    const beta = await worldIn(s.env, 'beta');
    await prepare(beta.admin.scope, beta.addMember);
    const incs = [...(await declare(s.admin.scope, 25)), ...(await declare(beta.admin.scope, 25))];

    await s.clock.passMinutes(6);
    expect(await rec.notices()).toHaveLength(50);
    expect(new Set((await rec.notices()).map((n) => n.incidentId))).toEqual(new Set(incs.map((i) => i.id)));
    expect(new Set((await rec.notices()).map((n) => n.dedupKey)).size).toBe(50);

    // The same wake-ups again, twice each, and the auditor: nothing is paged a second time.
    const steps = await firstSteps();
    const wakes = steps.flatMap((st) => [
      { stepId: st.id, token: st.token },
      { stepId: st.id, token: null },
    ]);
    expect(new Set(await runSteps(s.env, wakes))).toEqual(new Set(['stale']));
    expect(await auditSteps(s.env, 0)).toBe(0);
    expect(await rec.notices()).toHaveLength(50);

    const pages = await s.database.db.select().from(escalationPages);
    expect(pages).toHaveLength(50);
    expect(steps.every((st) => st.state === 'done' && st.outcome === 'paged alice@acme.test')).toBe(true);
    const lines = await s.database.db
      .select({ incidentId: incidentEvents.incidentId })
      .from(incidentEvents)
      .where(eq(incidentEvents.kind, 'escalation.paged'));
    expect(lines.map((l) => l.incidentId).sort()).toEqual(incs.map((i) => i.id).sort());
    for (const w of [s.workspaceId, beta.workspaceId])
      expect((await verifyWorkspace(s.database.db, w)).ok).toBe(true);
  });

  it('an acknowledgement between scheduling and firing stops the step', async () => {
    const rec = await start();
    await prepare(s.admin.scope, s.addMember);
    const incs = await declare(s.admin.scope, 12);
    const acked = incs.slice(0, 6);
    for (const inc of acked) await runVerb(s.env, s.admin.scope, (ctx) => acknowledge(ctx, inc.ref));
    // Acknowledged without its hook having cancelled the steps (as if the ack committed while
    // the batch waited for the step locks): the batch re-reads the incident and skips.
    const raced = incs.slice(6, 9).map((i) => i.id);
    await s.database.db
      .update(incidents)
      .set({ acknowledgedAt: s.clock.now() })
      .where(inArray(incidents.id, raced));

    await s.clock.passMinutes(6);
    const paged = new Set((await rec.notices()).map((n) => n.incidentId));
    expect(paged).toEqual(new Set(incs.slice(9).map((i) => i.id)));

    const byIncident = new Map(
      (
        await s.database.db
          .select({ incidentId: escalations.incidentId, state: escalationSteps.state })
          .from(escalationSteps)
          .innerJoin(escalations, eq(escalations.id, escalationSteps.escalationId))
          .where(eq(escalationSteps.position, 0))
      ).map((r) => [r.incidentId, r.state]),
    );
    expect(acked.map((i) => byIncident.get(i.id))).toEqual(Array(6).fill('cancelled'));
    expect(raced.map((id) => byIncident.get(id))).toEqual(Array(3).fill('skipped'));
  });

  it('a step that fails does not hold back the others, and fires once when it can', async () => {
    const rec = await start();
    await prepare(s.admin.scope, s.addMember);
    const incs = await declare(s.admin.scope, 8);
    const broken = incs[3]!.id;
    rec.failFor.add(broken);

    // Long enough for the job's retries to run out: each retry reruns its batch.
    await s.clock.passMinutes(12);
    expect((await rec.notices()).map((n) => n.incidentId).sort()).toEqual(
      incs
        .map((i) => i.id)
        .filter((id) => id !== broken)
        .sort(),
    );
    const [page] = await s.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(escalationPages)
      .where(eq(escalationPages.incidentId, broken));
    expect(page!.n, 'the failed step left no page behind').toBe(0);

    // The auditor runs it; a retry or audit job still in flight may get there first instead.
    rec.failFor.clear();
    await auditSteps(s.env, 0);
    expect((await rec.notices()).filter((n) => n.incidentId === broken)).toHaveLength(1);
    expect(new Set((await rec.notices()).map((n) => n.dedupKey)).size).toBe(8);
  });
});
