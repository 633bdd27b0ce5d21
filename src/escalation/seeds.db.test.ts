import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readPlan } from '../../test/support/incidents.ts';
import { recordingNotifier } from '../../test/support/notices.ts';
import { createScenario, type Scenario } from '../../test/support/scenario.ts';
import { listTimeline } from '../incidents/queries.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import { acknowledge, changeSeverity, changeStatus } from '../incidents/verbs/lifecycle.ts';
import { runVerb } from '../kernel/verb.ts';
import { applyOnCallFile } from '../oncall/apply.ts';
import { oncallModule } from '../oncall/module.ts';
import { applyPlan } from '../plans/store.ts';
import { escalationModule } from './module.ts';

// Passing an hour on the scenario clock fires every poll in it; that takes real seconds.
vi.setConfig({ testTimeout: 120_000 });
let s: Scenario;
let rec: ReturnType<typeof recordingNotifier>;
const emails: Record<string, string> = {};

const ONCALL = `siaga_oncall: oncall/1
schedules:
  - key: primary
    name: Primary on-call
    time_zone: Europe/Berlin
    layers:
      - participants: [alice@acme.test, bob@acme.test]
        shift: 1w
        handoff: "09:00"
        start: 2025-12-29
roles:
  on_call: { schedule: primary }
contacts:
  team_lead: { user: lead@acme.test }
  engineering_manager: { user: manager@acme.test }
  cto: { user: cto@acme.test }
  security_team: { user: lead@acme.test }
`;

beforeEach(async () => {
  rec = recordingNotifier();
  s = await createScenario({
    modules: [rec, oncallModule(), escalationModule({ pollingIntervalSeconds: 20 })],
  });
  for (const name of ['alice', 'bob', 'lead', 'manager', 'cto']) {
    const u = await s.addMember({ email: `${name}@acme.test` });
    emails[u.id] = u.email;
  }
});
afterEach(() => s.close());

const as = <T>(fn: Parameters<typeof runVerb<T>>[2]) => runVerb(s.env, s.admin.scope, fn);
const usePlan = (source: string) => as((ctx) => applyPlan(ctx, { source }));
const paged = () => rec.notices.map((n) => n.to.map((t) => emails[(t as { user: string }).user]).join('+'));

describe('seed 003: on-call → team lead at T+15 → manager at T+30 → CTO at T+60 if unresolved', () => {
  beforeEach(async () => {
    await usePlan(readPlan('vpn.yaml'));
    await as((ctx) => applyOnCallFile(ctx, { source: ONCALL }));
  });

  it('P0 alert; the on-call engineer is paged at once, then each level in turn while it stays unresolved', async () => {
    const inc = await as((ctx) =>
      declareIncident(ctx, { title: 'VPN API down', type: 'vpn_api_failure', severity: 'P0' }),
    );
    await s.clock.passMinutes(1);
    // 2026-01-05 is in alice's second week: bob holds the primary schedule.
    expect(paged()).toEqual(['bob@acme.test']);
    await s.clock.passMinutes(13);
    expect(paged()).toEqual(['bob@acme.test']);
    await s.clock.passMinutes(2);
    expect(paged()).toEqual(['bob@acme.test', 'lead@acme.test']);
    // Acknowledging does not stop "if unresolved" steps: the manager is still paged at T+30.
    await as((ctx) => acknowledge(ctx, inc.ref));
    await s.clock.passMinutes(15);
    expect(paged()).toEqual(['bob@acme.test', 'lead@acme.test', 'manager@acme.test']);
    // Resolved at T+40: nobody else is woken.
    await s.clock.passMinutes(9);
    await as((ctx) => changeStatus(ctx, inc.ref, 'resolved'));
    await s.clock.passMinutes(30);
    expect(paged()).toEqual(['bob@acme.test', 'lead@acme.test', 'manager@acme.test']);
    expect(new Set(rec.notices.map((n) => n.dedupKey)).size).toBe(3);
    expect(rec.notices[0]!.dedupKey).toMatch(/^esc:[0-9a-f-]{36}:1\.0:0$/);

    const timeline = await listTimeline(s.database.db, inc.id);
    const kinds = timeline.map((e) => e.kind).filter((k) => k.startsWith('escalation.'));
    expect(kinds).toEqual([
      'escalation.started',
      'escalation.paged',
      'escalation.paged',
      'escalation.paged',
      'escalation.stopped',
    ]);
  });

  it('resolving before T+15 stops everything after the first page', async () => {
    const inc = await as((ctx) =>
      declareIncident(ctx, { title: 'DB writes failing', type: 'database_failure', severity: 'P0' }),
    );
    await s.clock.passMinutes(5);
    await as((ctx) => changeStatus(ctx, inc.ref, 'resolved'));
    await s.clock.passMinutes(20);
    expect(paged()).toEqual(['bob@acme.test']);
  });
});

describe('seed 004: the role × severity matrix', () => {
  beforeEach(async () => {
    await usePlan(readPlan('provider-sync.yaml'));
    await as((ctx) =>
      applyOnCallFile(ctx, {
        source: `siaga_oncall: oncall/1
schedules:
  - key: on_call
    name: On-call
    time_zone: UTC
    layers: [{ participants: [alice@acme.test], shift: 1d, start: 2026-01-01 }]
contacts:
  team_lead: { user: lead@acme.test }
  cto: { user: cto@acme.test }
`,
      }),
    );
  });

  it('P1: on-call immediately, team lead at 15m, CTO at 30m; affected users are not paged', async () => {
    const types = readPlan('provider-sync.yaml').match(/incident_types:\n\s+- key: (\w+)/)![1]!;
    await as((ctx) => declareIncident(ctx, { title: 'Sync stalled', type: types, severity: 'P1' }));
    await s.clock.passMinutes(1);
    expect(paged()).toEqual(['alice@acme.test']);
    await s.clock.passMinutes(15);
    expect(paged()).toEqual(['alice@acme.test', 'lead@acme.test']);
    await s.clock.passMinutes(15);
    expect(paged()).toEqual(['alice@acme.test', 'lead@acme.test', 'cto@acme.test']);
    await s.clock.passMinutes(20);
    expect(paged()).toHaveLength(3);
  });

  it('a severity change from P3 to P1 re-plans: steps already past due run now, without paging the on-call twice', async () => {
    const types = readPlan('provider-sync.yaml').match(/incident_types:\n\s+- key: (\w+)/)![1]!;
    const inc = await as((ctx) => declareIncident(ctx, { title: 'Slow sync', type: types, severity: 'P3' }));
    await s.clock.passMinutes(20);
    expect(paged()).toEqual([]);
    await as((ctx) => changeSeverity(ctx, inc.ref, 'P1', 'customers affected'));
    await s.clock.passMinutes(1);
    expect(paged().sort()).toEqual(['alice@acme.test', 'lead@acme.test']);
    await s.clock.passMinutes(10);
    expect(paged()).toHaveLength(3);
  });
});

describe('a policy from the on-call file: "if unacknowledged", repeated', () => {
  it('pages round after round until acknowledged, then stops', async () => {
    // provider-sync's plan has only a matrix, so the on-call file's policy for P1 wins.
    await usePlan(readPlan('provider-sync.yaml'));
    await as((ctx) =>
      applyOnCallFile(ctx, {
        source: `${ONCALL}policies:
  - key: page_until_ack
    label: Page until acknowledged
    applies_to: { severities: [P1] }
    repeat: 2
    steps:
      - { after: 0m, if: unacknowledged, notify: [{ schedule: primary }] }
      - { after: 5m, if: unacknowledged, notify: [{ contact: team_lead }] }
`,
      }),
    );
    const type = readPlan('provider-sync.yaml').match(/incident_types:\n\s+- key: (\w+)/)![1]!;
    const inc = await as((ctx) => declareIncident(ctx, { title: 'Sync down', type, severity: 'P1' }));
    // Round length: the last step (5m) plus the gap before it (5m) = 10m.
    await s.clock.passMinutes(11);
    expect(paged()).toEqual(['bob@acme.test', 'lead@acme.test', 'bob@acme.test']);
    await as((ctx) => acknowledge(ctx, inc.ref));
    await s.clock.passMinutes(25);
    expect(paged()).toHaveLength(3);
  });
});
