import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applies,
  audience,
  checklistFor,
  commanderRole,
  escalationFor,
  incidentType,
  nextPhase,
  obligationsFor,
  phase,
  phaseChecklists,
  phaseTarget,
  role,
  runbooksFor,
  severity,
  templatesFor,
  updateCadence,
} from './lookup.ts';
import { parsePlanOrThrow } from './parse.ts';

const plan = parsePlanOrThrow(`siaga: plan/v1
key: lookup
name: Lookup plan
severities:
  - { key: S1, label: Critical, response_target: 5m, update_every: { customers: 30m }, escalation: sev_path }
  - { key: S2, label: High, response_target: 1h }
roles:
  - { key: ic, label: IC, commander: true }
  - { key: ops, label: Ops }
services:
  - { key: api, label: API, escalation: api_path }
  - { key: web, label: Web }
incident_types:
  - key: breach
    label: Breach
    containment: [Revoke keys, { text: Snapshot disks, role: ops, due: 1h }]
    checklists: [evidence]
    obligations: [gdpr]
    runbooks: [rb_named]
    escalation: type_path
  - { key: outage, label: Outage }
checklists:
  - { key: evidence, label: Evidence, items: [Export logs] }
  - { key: recovery, label: Recovery, items: [Verify health] }
phases:
  - { key: triage, label: Triage, target: 15m, checklist: [Assess] }
  - { key: contain, label: Contain, target: { S1: 1h }, checklists: [recovery] }
  - { key: review, label: Review }
runbooks:
  - { key: rb_named, label: Named, steps: [{ title: A }] }
  - { key: rb_trigger, label: Trigger, trigger: { types: [breach, outage] }, steps: [{ title: B }] }
escalation:
  paths:
    - { key: type_path, label: T, steps: [{ notify: [{ role: ic }] }] }
    - { key: api_path, label: A, steps: [{ notify: [{ role: ops }] }] }
    - { key: sev_path, label: S, steps: [{ notify: [{ role: ic }] }] }
    - { key: s2_path, label: S2, applies_to: { severities: [S2] }, steps: [{ notify: [{ role: ops }] }] }
communications:
  audiences:
    - { key: internal, label: Internal, update_every: 1h }
    - { key: customers, label: Customers, external: true, update_every: 2h }
  templates:
    - { key: any, label: Any, audience: customers, body: a }
    - { key: s1_only, label: S1, audience: customers, applies_to: { severities: [S1] }, body: b }
    - { key: breach_only, label: B, audience: customers, applies_to: { types: [breach] }, body: c }
    - { key: internal, label: I, audience: internal, body: d }
obligations:
  - { key: gdpr, label: GDPR, regime: gdpr_art33 }
  - { key: sla, label: SLA, recipient: Clients, deadline: 1bd, starts_at: manual, applies_to: { severities: [S1] } }
  - { key: always, label: Always, recipient: Board, deadline: 7d, starts_at: resolved }
`);

describe('finding things by key', () => {
  it('returns the item or undefined', () => {
    expect(severity(plan, 'S2')?.label).toBe('High');
    expect(severity(plan, 'S9')).toBeUndefined();
    expect(incidentType(plan, 'outage')?.label).toBe('Outage');
    expect(role(plan, 'ops')?.label).toBe('Ops');
    expect(commanderRole(plan)?.key).toBe('ic');
    expect(phase(plan, 'contain')?.label).toBe('Contain');
    expect(audience(plan, 'customers')?.external).toBe(true);
  });

  it('walks phases in plan order', () => {
    expect(nextPhase(plan, 'triage')?.key).toBe('contain');
    expect(nextPhase(plan, 'review')).toBeUndefined();
    expect(nextPhase(plan, 'nope')).toBeUndefined();
  });
});

describe('what applies to an incident', () => {
  it('matches applies_to lists; absent lists mean all', () => {
    expect(applies(undefined, {})).toBe(true);
    expect(applies({ severities: ['S1'] }, { severity: 'S1' })).toBe(true);
    expect(applies({ severities: ['S1'] }, { severity: 'S2' })).toBe(false);
    expect(applies({ services: ['api'] }, { services: ['web', 'api'] })).toBe(true);
    expect(applies({ services: ['api'] }, { service: 'web' })).toBe(false);
  });

  it('offers templates of the audience that apply to the severity and type', () => {
    const keys = (severityKey: string, type: string) =>
      templatesFor(plan, 'customers', { severity: severityKey, type }).map((t) => t.key);
    expect(keys('S1', 'breach')).toEqual(['any', 's1_only', 'breach_only']);
    expect(keys('S2', 'outage')).toEqual(['any']);
    expect(templatesFor(plan, 'internal', { severity: 'S2', type: 'outage' }).map((t) => t.key)).toEqual([
      'internal',
    ]);
  });

  it('takes the severity’s update cadence over the audience’s', () => {
    expect(updateCadence(plan, 'S1', 'customers')?.text).toBe('30m');
    expect(updateCadence(plan, 'S2', 'customers')?.text).toBe('2h');
    expect(updateCadence(plan, 'S1', 'internal')?.text).toBe('1h');
    expect(updateCadence(plan, 'S1', 'nobody')).toBeUndefined();
  });

  it('reads one phase target or one per severity', () => {
    expect(phaseTarget(plan, 'triage', 'S2')?.text).toBe('15m');
    expect(phaseTarget(plan, 'contain', 'S1')?.text).toBe('1h');
    expect(phaseTarget(plan, 'contain', 'S2')).toBeUndefined();
    expect(phaseTarget(plan, 'review', 'S1')).toBeUndefined();
  });

  it('joins the type’s obligations with those whose scope covers the incident', () => {
    const keys = (type: string, sev: string) => obligationsFor(plan, type, sev).map((o) => o.key);
    expect(keys('breach', 'S2')).toEqual(['gdpr', 'always']);
    expect(keys('outage', 'S1')).toEqual(['sla', 'always']);
    expect(keys('outage', 'S2')).toEqual(['always']);
    expect(obligationsFor(plan, 'breach', 'S1')[0]).toMatchObject({
      deadline: { text: '72h' },
      starts_at: 'detected',
    });
  });

  it('lists a type’s containment, then its named checklists, normalised', () => {
    expect(checklistFor(plan, 'breach')).toEqual([
      {
        source: 'containment',
        sourceKey: 'breach',
        items: [
          { text: 'Revoke keys' },
          { text: 'Snapshot disks', role: 'ops', due: expect.objectContaining({ text: '1h' }) },
        ],
      },
      { source: 'checklist', sourceKey: 'evidence', items: [{ text: 'Export logs' }] },
    ]);
    expect(checklistFor(plan, 'outage')).toEqual([]);
    expect(checklistFor(plan, 'nope')).toEqual([]);
  });

  it('lists every phase’s checklists in phase order', () => {
    expect(phaseChecklists(plan)).toEqual([
      { phase: 'triage', source: 'phase', sourceKey: 'triage', items: [{ text: 'Assess' }] },
      { phase: 'contain', source: 'checklist', sourceKey: 'recovery', items: [{ text: 'Verify health' }] },
    ]);
  });

  it('lists runbooks the type names, then those triggered by the type', () => {
    expect(runbooksFor(plan, 'breach').map((r) => r.key)).toEqual(['rb_named', 'rb_trigger']);
    expect(runbooksFor(plan, 'outage').map((r) => r.key)).toEqual(['rb_trigger']);
  });
});

describe('escalationFor', () => {
  it('prefers the type, then the service, then the severity, then applies_to', () => {
    const pick = (at: Parameters<typeof escalationFor>[1]) => {
      const e = escalationFor(plan, at);
      return e && `${e.source}:${e.key}`;
    };
    expect(pick({ severity: 'S1', type: 'breach', service: 'api' })).toBe('type:type_path');
    expect(pick({ severity: 'S1', type: 'outage', service: 'api' })).toBe('service:api_path');
    expect(pick({ severity: 'S1', type: 'outage', service: 'web' })).toBe('severity:sev_path');
    expect(pick({ severity: 'S2', type: 'outage' })).toBe('applies_to:s2_path');
    expect(pick({ severity: 'S9', type: 'outage' })).toBeUndefined();
  });

  it('reads an escalation matrix as timed steps for the severity (seed 004)', () => {
    const p = parsePlanOrThrow(
      readFileSync(new URL('../../examples/plans/provider-sync.yaml', import.meta.url), 'utf8'),
    );
    const steps = (sev: string) =>
      escalationFor(p, { severity: sev })?.steps.map(
        (s) => `${s.after?.text} ${JSON.stringify(s.notify[0])}`,
      );
    expect(steps('P1')).toEqual([
      'immediate {"schedule":"on_call"}',
      '15m {"contact":"team_lead"}',
      '30m {"contact":"cto"}',
      '1h {"audience":"affected_users"}',
    ]);
    expect(steps('P3')).toEqual(['4h {"schedule":"on_call"}']);
    expect(steps('P4')).toEqual(['1bd {"schedule":"on_call"}']);
    expect(escalationFor(p, { severity: 'P2' })).toMatchObject({ source: 'matrix', repeat: 0 });
    expect(escalationFor(p, { severity: 'P2' })?.steps.every((s) => s.if === 'unresolved')).toBe(true);
  });
});
