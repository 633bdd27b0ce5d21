import { describe, expect, it } from 'vitest';
import { parsePlan } from './parse.ts';

const BASE = `siaga: plan/v1
key: test
name: Test plan
severities:
  - key: S1
    label: Critical
    response_target: 15m
  - key: S2
    label: High
    response_target: 1h
roles:
  - key: ic
    label: IC
    commander: true
incident_types:
  - key: outage
    label: Outage
`;

/** Problems of BASE plus `extra` (top-level sections), as "path: message". */
function check(extra: string, base = BASE): string[] {
  const r = parsePlan(base + extra);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

const AUDIENCES = `communications:
  audiences:
    - key: internal
      label: Internal
`;

describe('unique keys', () => {
  it('reports the second item that reuses a key, naming the first', () => {
    const src = BASE.replace('  - key: S2\n', '  - key: S1\n');
    expect(check('', src)).toEqual([
      'severities[1].key: duplicate key "S1": severities[0] already uses it; keys must be unique',
    ]);
  });

  it('checks nested lists too (templates, escalation paths)', () => {
    const extra = `${AUDIENCES}  templates:
    - { key: t, label: A, audience: internal, body: a }
    - { key: t, label: B, audience: internal, body: b }
escalation:
  paths:
    - { key: p, label: A, steps: [{ notify: [{ role: ic }] }] }
    - { key: p, label: B, steps: [{ notify: [{ role: ic }] }] }
`;
    expect(check(extra)).toEqual([
      'communications.templates[1].key: duplicate key "t": templates[0] already uses it; keys must be unique',
      'escalation.paths[1].key: duplicate key "p": escalation paths[0] already uses it; keys must be unique',
    ]);
  });
});

describe('incident types', () => {
  it('checks every key a type refers to', () => {
    const extra = `    default_severity: S3
    checklists: [nope]
    obligations: [gdpr]
    roles: [ic, comms]
    runbooks: [rb]
    escalation: tech
    containment:
      - { text: Freeze, switch: freeze, runbook: rb2, role: ops }
`;
    expect(check(extra)).toEqual([
      'incident_types[0].default_severity: unknown severity "S3"; known: S1, S2',
      'incident_types[0].checklists[0]: unknown checklist "nope"; the plan defines no checklist keys',
      'incident_types[0].obligations[0]: unknown obligation "gdpr"; the plan defines no obligation keys',
      'incident_types[0].roles[1]: unknown role "comms"; known: ic',
      'incident_types[0].runbooks[0]: unknown runbook "rb"; the plan defines no runbook keys',
      'incident_types[0].escalation: unknown escalation path "tech"; the plan defines no escalation path keys',
      'incident_types[0].containment[0].switch: unknown switch "freeze"; the plan defines no switch keys',
      'incident_types[0].containment[0].runbook: unknown runbook "rb2"; the plan defines no runbook keys',
      'incident_types[0].containment[0].role: unknown role "ops"; known: ic',
    ]);
  });
});

describe('severities', () => {
  it('checks update_every audiences (at the key) and the escalation path', () => {
    const src = BASE.replace(
      '    response_target: 1h\n',
      '    response_target: 1h\n    update_every: { internl: 30m }\n    escalation: x\n',
    );
    expect(check(AUDIENCES, src)).toEqual([
      'severities[1].update_every.internl: unknown audience "internl"; did you mean "internal"? known: internal',
      'severities[1].escalation: unknown escalation path "x"; the plan defines no escalation path keys',
    ]);
  });
});

describe('roles', () => {
  it('allows one commander at most', () => {
    const src = BASE.replace(
      'incident_types:',
      '  - key: deputy\n    label: Deputy\n    commander: true\nincident_types:',
    );
    expect(check('', src)).toEqual([
      'roles[1].commander: only one role can be the commander; "ic" already is, so "deputy" cannot be',
    ]);
  });
});

describe('phases', () => {
  it('checks per-severity targets, checklists and runbooks', () => {
    const extra = `phases:
  - key: triage
    label: Triage
    target: { S1: 15m, S9: 1h }
    checklists: [x]
    runbooks: [y]
    checklist: [{ text: Page, role: nobody }]
`;
    expect(check(extra)).toEqual([
      'phases[0].target.S9: unknown severity "S9"; known: S1, S2',
      'phases[0].checklists[0]: unknown checklist "x"; the plan defines no checklist keys',
      'phases[0].runbooks[0]: unknown runbook "y"; the plan defines no runbook keys',
      'phases[0].checklist[0].role: unknown role "nobody"; known: ic',
    ]);
  });

  it('wants a phase to start no later than its target', () => {
    const extra = `phases:
  - { key: a, label: A, starts: 1h, target: 15m }
  - { key: b, label: B, starts: 1h, target: { S1: 30m, S2: 2h } }
  - { key: c, label: C, starts: 1h, target: 1h }
`;
    expect(check(extra)).toEqual([
      'phases[0].target: target 15m is before the phase starts (starts: 1h); both count from detection',
      'phases[1].target.S1: target 30m is before the phase starts (starts: 1h); both count from detection',
    ]);
  });
});

describe('escalation', () => {
  it('checks role, contact and audience targets but not runtime schedules, teams or users', () => {
    const extra = `escalation:
  paths:
    - key: p
      label: P
      applies_to: { severities: [S7], types: [outage], services: [api] }
      steps:
        - notify: [{ role: cto }, { contact: cfo }, { audience: board }, { schedule: primary }, { team: sre }, { user: a@b.c }]
`;
    expect(check(extra)).toEqual([
      'escalation.paths[0].applies_to.severities[0]: unknown severity "S7"; known: S1, S2',
      'escalation.paths[0].applies_to.services[0]: unknown service "api"; the plan defines no service keys',
      'escalation.paths[0].steps[0].notify[0].role: unknown role "cto"; known: ic',
      'escalation.paths[0].steps[0].notify[1].contact: unknown contact "cfo"; the plan defines no contact keys',
      'escalation.paths[0].steps[0].notify[2].audience: unknown audience "board"; the plan defines no audience keys',
    ]);
  });

  it('wants timed steps in order', () => {
    const extra = `escalation:
  paths:
    - key: p
      label: P
      steps:
        - { after: 15m, notify: [{ role: ic }] }
        - { after: 5m, notify: [{ role: ic }] }
        - { notify: [{ role: ic }] }
        - { after: 15m, notify: [{ role: ic }] }
`;
    expect(check(extra)).toEqual([
      'escalation.paths[0].steps[1].after: step is due after 5m, earlier than a step above it (after 15m); steps run in order, each "after" measured from the start of the escalation',
    ]);
  });

  it('checks matrix severities and targets', () => {
    const extra = `escalation:
  matrix:
    rows:
      - target: { role: lead }
        by_severity: { S1: 15m, P1: 1h, S2: '-' }
`;
    expect(check(extra)).toEqual([
      'escalation.matrix.rows[0].target.role: unknown role "lead"; known: ic',
      'escalation.matrix.rows[0].by_severity.P1: unknown severity "P1"; known: S1, S2',
    ]);
  });
});

describe('communications', () => {
  it('checks template audience, channels, scope and placeholders in every language', () => {
    const extra = `${AUDIENCES}      channels: [slak]
  channels:
    - { key: slack, type: slack, applies_to: { types: [breach] } }
  templates:
    - key: t
      label: T
      audience: customers
      channels: [mail]
      applies_to: { severities: [S1] }
      subject: "{{ incident.title }}"
      body:
        en: "{{incident.title}} {{fields.eta}} {{ nope }}"
        id: "{{incident.judul}} {{ if x }}"
      fields: [{ key: eta, label: ETA }]
`;
    expect(check(extra)).toEqual([
      'communications.audiences[0].channels[0]: unknown channel "slak"; did you mean "slack"? known: slack',
      'communications.channels[0].applies_to.types[0]: unknown incident type "breach"; known: outage',
      'communications.templates[0].audience: unknown audience "customers"; known: internal',
      'communications.templates[0].channels[0]: unknown channel "mail"; known: slack',
      'communications.templates[0].body.en: unknown placeholder "{{nope}}"; see the placeholder catalogue in docs/plan-format.md',
      'communications.templates[0].body.id: unknown placeholder "{{incident.judul}}"; see the placeholder catalogue in docs/plan-format.md',
      'communications.templates[0].body.id: "{{ if x }}" is not a placeholder: write {{ name }} with a dotted name such as {{ incident.title }} (templates have no logic)',
    ]);
  });

  it('checks post-mortem template placeholders', () => {
    const extra = `postmortem:
  path: docs/{{incident.numbr}}.md
  template:
    title: "Post-mortem: {{incident.title}}"
    sections:
      - { key: s, title: Summary, body: "{{incident.summary}}" }
`;
    expect(check(extra)).toEqual([
      'postmortem.path: unknown placeholder "{{incident.numbr}}"; did you mean "incident.number"?',
      'postmortem.template.sections[0].body: unknown placeholder "{{incident.summary}}"; see the placeholder catalogue in docs/plan-format.md',
    ]);
  });
});

describe('obligations', () => {
  it('checks owner, template and scope', () => {
    const extra = `obligations:
  - { key: o, label: O, recipient: R, deadline: 24h, starts_at: detected, owner: dpo, template: notice, applies_to: { types: [breach] } }
`;
    expect(check(extra)).toEqual([
      'obligations[0].owner: unknown role "dpo"; known: ic',
      'obligations[0].template: unknown template "notice"; the plan defines no template keys',
      'obligations[0].applies_to.types[0]: unknown incident type "breach"; known: outage',
    ]);
  });

  it('wants a chained start to name an obligation, without cycles', () => {
    const extra = `obligations:
  - { key: a, label: A, recipient: R, deadline: 1h, starts_at: 'obligation:b' }
  - { key: b, label: B, recipient: R, deadline: 1h, starts_at: 'obligation:a' }
  - { key: c, label: C, recipient: R, deadline: 1h, starts_at: 'obligation:zz' }
  - { key: d, label: D, recipient: R, deadline: 1h, starts_at: 'obligation:d' }
`;
    expect(check(extra)).toEqual([
      'obligations[0].starts_at: obligation clocks form a cycle (a → b → a), so none of them can start',
      'obligations[1].starts_at: obligation clocks form a cycle (b → a → b), so none of them can start',
      'obligations[2].starts_at: unknown obligation "zz"; known: a, b, c, d',
      'obligations[3].starts_at: obligation clocks form a cycle (d → d), so none of them can start',
    ]);
  });

  it('asks for recipient, deadline and clock start unless a regime supplies them', () => {
    const extra = `obligations:
  - { key: a, label: A, deadline: 1h }
  - { key: b, label: B, regime: gdpr_art3 }
`;
    expect(check(extra)).toEqual([
      'obligations[0].recipient: "recipient" is missing: state it, or name a regime that supplies it (regime: gdpr_art33 | gdpr_art34 | nis2_early_warning | nis2_notification | …)',
      'obligations[0].starts_at: "starts_at" is missing: state it, or name a regime that supplies it (regime: gdpr_art33 | gdpr_art34 | nis2_early_warning | nis2_notification | …)',
      expect.stringMatching(
        /^obligations\[1\]\.regime: unknown regime "gdpr_art3"; did you mean "gdpr_art33"\? known: gdpr_art33, /,
      ),
    ]);
  });
});

describe('runbooks, switches, services, routing and the rest', () => {
  it('checks runbook actions, triggers and alert regexes', () => {
    const extra = `runbooks:
  - key: rb
    label: RB
    trigger: { types: [outages], alert: { alertname: { regex: '(unclosed' } } }
    steps:
      - { title: Freeze, action: { switch: freeze, set: 'on' } }
`;
    expect(check(extra)).toEqual([
      'runbooks[0].trigger.types[0]: unknown incident type "outages"; did you mean "outage"? known: outage',
      expect.stringMatching(
        /^runbooks\[0\]\.trigger\.alert\.alertname\.regex: regular expression does not compile: /,
      ),
      'runbooks[0].steps[0].action.switch: unknown switch "freeze"; the plan defines no switch keys',
    ]);
  });

  it('checks services, switches, routing, drills, reviewers and the calendar', () => {
    const extra = `calendar: { timezone: Asia/Jakrta }
services:
  - { key: api, label: API, escalation: tech }
switches:
  - { key: ro, label: Read-only, services: [db] }
routing:
  rules:
    - match: { team: { not_regex: '[' } }
      service: web
      type: breach
      severity: P1
      severity_from: { label: level, map: { critical: S1, warning: S3 }, default: S4 }
drills:
  - { key: d, label: D, kind: tabletop, every: 3mo, severity: S0 }
postmortem:
  reviewers: [cto]
  template: { title: PM, sections: [{ key: s, title: S }] }
`;
    expect(check(extra)).toEqual([
      'calendar.timezone: unknown time zone "Asia/Jakrta"; use an IANA zone name such as "Asia/Jakarta", "Europe/Berlin" or "UTC"',
      'services[0].escalation: unknown escalation path "tech"; the plan defines no escalation path keys',
      'switches[0].services[0]: unknown service "db"; known: api',
      expect.stringMatching(
        /^routing\.rules\[0\]\.match\.team\.not_regex: regular expression does not compile: /,
      ),
      'routing.rules[0].service: unknown service "web"; known: api',
      'routing.rules[0].type: unknown incident type "breach"; known: outage',
      'routing.rules[0].severity: unknown severity "P1"; known: S1, S2',
      'routing.rules[0].severity_from.map.warning: unknown severity "S3"; known: S1, S2',
      'routing.rules[0].severity_from.default: unknown severity "S4"; known: S1, S2',
      'drills[0].severity: unknown severity "S0"; known: S1, S2',
      'postmortem.reviewers[0]: unknown role "cto"; known: ic',
    ]);
  });
});
