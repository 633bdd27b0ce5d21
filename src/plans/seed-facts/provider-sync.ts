/** Seed 004 (the provider-sync service), fact by fact, as the seed states them. */
import { type Fact, facts } from './helpers.ts';

const f = facts('en');
const { txt, dur, items } = f;

export const PROVIDER_SYNC: Fact[] = [
  [
    'P1-P4 with labels and response times',
    (p) => p.severities.map((s) => `${s.key} ${txt(s.label)} ${dur(s.response_target)}`),
    ['P1 Critical 15m', 'P2 High 1h', 'P3 Medium 4h', 'P4 Low 1bd'],
  ],
  [
    'definitions',
    (p) => p.severities.map((s) => txt(s.definition)),
    [
      'Service fully unavailable, data breach, or security compromise',
      'Major feature degraded, significant performance impact',
      'Minor feature degraded, workaround available',
      'Cosmetic issues, minor inconvenience',
    ],
  ],
  [
    'examples',
    (p) => p.severities.map((s) => s.examples?.map(txt)),
    [
      ['Database down', 'Authentication bypass', 'Data exfiltration'],
      ['Provider sync failures', '>5% error rate', 'Payment processing down'],
      ['Single provider down (with failover)', 'Non-critical job failures'],
      ['UI glitches', 'Non-critical log errors'],
    ],
  ],
  [
    'escalation per severity, as written',
    (p) => p.severities.map((s) => s.notes?.map(txt)),
    [
      ['Escalation: Immediate notification to all on-call engineers + CTO'],
      ['Escalation: On-call engineer + team lead'],
      ['Escalation: On-call engineer'],
      ['Escalation: Ticket created, normal sprint process'],
    ],
  ],
  ['P4 opens a ticket', (p) => f.severity(p, 'P4').level, 'ticket'],
  [
    'matrix: on-call engineer',
    (p) => f.matrixRow(p, 'On-call engineer'),
    'schedule:on_call P1=immediate P2=1h P3=4h P4=1bd',
  ],
  ['matrix: team lead', (p) => f.matrixRow(p, 'Team lead'), 'contact:team_lead P1=15m P2=2h P3=- P4=-'],
  ['matrix: CTO', (p) => f.matrixRow(p, 'CTO'), 'contact:cto P1=30m P2=4h P3=- P4=-'],
  [
    'matrix: affected users',
    (p) => f.matrixRow(p, 'Affected users'),
    'audience:affected_users P1=1h P2=4h P3=- P4=-',
  ],
  [
    'detect: sources',
    (p) => f.phase(p, 'detect').sources?.map(txt),
    [
      'Automated alerts (Prometheus/Grafana)',
      'Synthetic monitoring failures',
      'User reports',
      'Audit log anomalies',
    ],
  ],
  [
    'response procedure',
    (p) => p.phases.map((x) => txt(x.label)),
    ['Detect', 'Triage', 'Contain', 'Communicate', 'Resolve', 'Post-Mortem'],
  ],
  [
    'triage',
    (p) => f.phase(p, 'triage').actions?.map(txt),
    [
      'Assign severity level (P1-P4)',
      'Identify affected systems and users',
      'Create incident channel/thread',
    ],
  ],
  [
    'contain by type',
    (p) => p.incident_types.map((t) => `${txt(t.label)}: ${items(t.containment).join(', ')}`),
    [
      'Data breach: Revoke compromised credentials, Disable affected accounts',
      'Service outage: Failover to backup, Enable maintenance mode',
      'Performance: Scale resources, Disable non-critical features',
      'Security: Block suspicious IPs, Rotate affected keys',
    ],
  ],
  [
    'resolve',
    (p) => f.phase(p, 'resolve').actions?.map(txt),
    ['Implement fix', 'Verify fix in staging', 'Deploy to production', 'Confirm resolution with monitoring'],
  ],
  [
    'internal template',
    (p) => txt(f.template(p, 'internal_update').body),
    '**Incident**: {{incident.title}}\n**Severity**: {{incident.severity}}\n**Impact**: {{incident.impact}}\n**Status**: {{incident.status_label}}\n**Next update**: {{next_update}}',
  ],
  [
    'external template (P1/P2)',
    (p) => [
      txt(f.template(p, 'external_update').body),
      f.template(p, 'external_update').applies_to?.severities,
    ],
    [
      'We are aware of {{fields.issue_description}} affecting {{fields.feature}}. Our team is actively working on a resolution. We will provide updates every {{update_cadence}}.',
      ['P1', 'P2'],
    ],
  ],
  [
    'updates every 30min (P1) / 1hr (P2)',
    (p) => p.severities.map((s) => dur(s.update_every?.affected_users)),
    ['30m', '1h', undefined, undefined],
  ],
  [
    'post-mortem required for P1/P2',
    (p) => p.severities.map((s) => s.postmortem?.required),
    [true, true, false, false],
  ],
  [
    'post-mortem title one level down: ## and ###',
    (p) => [txt(p.postmortem?.template.title), p.postmortem?.template.heading_level],
    ['Incident Post-Mortem: {{incident.title}}', 2],
  ],
  [
    'post-mortem preamble',
    (p) => txt(p.postmortem?.template.preamble),
    '**Date**: {{date}}\n**Duration**: {{incident.detected_at}} - {{incident.resolved_at}}\n**Severity**: {{incident.severity}}\n**Author**: [Name]',
  ],
  [
    'post-mortem sections',
    (p) => f.sectionTitles(p),
    ['Summary', 'Timeline', 'Root Cause', 'Impact', 'Resolution', 'Action Items', 'Lessons Learned'],
  ],
  ['summary', (p) => f.section(p, 'summary'), '[1-2 sentence description]'],
  ['timeline', (p) => f.section(p, 'timeline'), '- HH:MM - [Event]\n- HH:MM - [Event]'],
  [
    'impact',
    (p) => f.section(p, 'impact'),
    '- Users affected: [count]\n- Revenue impact: [if applicable]\n- Data impact: [if applicable]',
  ],
  ['resolution', (p) => f.section(p, 'resolution'), '[What fixed it]'],
  [
    'action items as a checklist',
    (p) => [p.postmortem?.action_items.format, f.section(p, 'action_items')],
    [
      'checklist',
      '- [ ] [Preventive measure] - Owner: [Name] - Due: [Date]\n- [ ] [Monitoring improvement] - Owner: [Name] - Due: [Date]',
    ],
  ],
  ['lessons learned', (p) => f.section(p, 'lessons_learned'), '[What we learned]'],
  [
    'data breach containment checklist',
    (p) => f.checklist(p, 'data_breach_containment'),
    [
      'Identify scope of compromised data',
      'Revoke all active sessions for affected users',
      'Rotate encryption keys',
      'Block attack vector',
      'Preserve forensic evidence (logs, snapshots)',
    ],
  ],
  [
    'evidence preservation',
    (p) => f.checklist(p, 'evidence_preservation'),
    [
      'Export audit logs for affected time period',
      'Snapshot affected database tables',
      'Capture network logs and access logs',
      'Document timeline of events',
    ],
  ],
  [
    'data breaches use both',
    (p) => f.type(p, 'data_breach').checklists,
    ['data_breach_containment', 'evidence_preservation'],
  ],
  [
    'notification requirements for a data breach',
    (p) => f.obligationsOf(p, 'data_breach'),
    [
      'Security team within immediate',
      'Affected users within 72h',
      'Supervisory authority (data protection) within 72h',
      'Law enforcement within immediate',
    ],
  ],
  [
    'users: within 72 hours per GDPR',
    (p) => [f.obligationTo(p, 'Affected users').reference, f.obligationTo(p, 'Affected users').starts_at],
    ['GDPR/applicable regulations', 'detected'],
  ],
  [
    'regulators: per applicable data protection laws (GDPR Art. 33)',
    (p) => f.obligationTo(p, 'Supervisory authority').regime,
    'gdpr_art33',
  ],
  [
    'law enforcement: if criminal activity suspected',
    (p) => [
      f.obligationTo(p, 'Law enforcement').starts_at,
      txt(f.obligationTo(p, 'Law enforcement').description),
    ],
    ['manual', 'Law enforcement: If criminal activity suspected'],
  ],
];
