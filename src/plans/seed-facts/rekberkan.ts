/** Seed 001 (Rekberkan), fact by fact, as the seed states them. */
import { type Fact, facts } from './helpers.ts';
import { COMMUNICATIONS, ESCALATION, OBLIGATIONS, REST, RUNBOOKS } from './rekberkan-operations.ts';

const f = facts('en');
const { txt, dur } = f;

const severities: Fact[] = [
  ['S1 is Critical', (p) => txt(f.severity(p, 'S1').label), 'Critical'],
  ['S1 response: Immediate', (p) => dur(f.severity(p, 'S1').response_target), 'immediate'],
  ['S2 is High', (p) => txt(f.severity(p, 'S2').label), 'High'],
  ['S2 response: <1 hour', (p) => dur(f.severity(p, 'S2').response_target), '1h'],
  ['S3 is Medium', (p) => txt(f.severity(p, 'S3').label), 'Medium'],
  ['S3 response: <4 hours', (p) => dur(f.severity(p, 'S3').response_target), '4h'],
  ['S4 is Low', (p) => txt(f.severity(p, 'S4').label), 'Low'],
  ['S4 response: <24 hours', (p) => dur(f.severity(p, 'S4').response_target), '24h'],
  [
    'S1 examples',
    (p) => f.severity(p, 'S1').examples?.map(txt),
    [
      'Complete service outage',
      'Active data breach',
      'Financial fraud in progress',
      'Ledger integrity compromised',
      'Payment gateway failure',
    ],
  ],
  [
    'S2 examples',
    (p) => f.severity(p, 'S2').examples?.map(txt),
    [
      'Partial service degradation',
      'Suspected unauthorized access',
      'Failed audit chain verification',
      'Significant performance degradation',
      'Multiple user complaints',
    ],
  ],
  [
    'S3 examples',
    (p) => f.severity(p, 'S3').examples?.map(txt),
    [
      'Minor service issues',
      'Elevated error rates',
      'Suspicious activity detected',
      'Failed reconciliation (minor)',
    ],
  ],
  [
    'S4 examples',
    (p) => f.severity(p, 'S4').examples?.map(txt),
    ['Documentation issues', 'Non-critical bugs', 'Feature requests'],
  ],
  ['S1: MTTR < 4 hours', (p) => dur(f.severity(p, 'S1').mttr_target), '4h'],
  ['S2: MTTR < 8 hours', (p) => dur(f.severity(p, 'S2').mttr_target), '8h'],
  ['S3: MTTR < 24 hours', (p) => dur(f.severity(p, 'S3').mttr_target), '24h'],
  ['S4: MTTR < 72 hours', (p) => dur(f.severity(p, 'S4').mttr_target), '72h'],
  [
    'post-mortem reviews after every S1/S2 incident',
    (p) => p.severities.filter((s) => s.postmortem?.required).map((s) => s.key),
    ['S1', 'S2'],
  ],
  ['post-incident review within 7 days', (p) => dur(f.severity(p, 'S1').postmortem?.due), '7d'],
];

const roles: Fact[] = [
  ['IC commands the incident', (p) => p.roles.filter((r) => r.commander).map((r) => r.key), ['ic']],
  [
    'five roles',
    (p) => p.roles.map((r) => txt(r.label)),
    ['Incident Commander (IC)', 'Technical Lead', 'Communications Lead', 'Security Lead', 'Finance Lead'],
  ],
  [
    'IC: coordinates response, makes decisions',
    (p) => f.role(p, 'ic').responsibilities?.map(txt),
    ['Coordinates response, makes decisions'],
  ],
  [
    'Technical Lead: investigates, fixes',
    (p) => f.role(p, 'tech_lead').responsibilities?.map(txt),
    ['Investigates root cause, implements fixes'],
  ],
  [
    'Communications Lead',
    (p) => f.role(p, 'comms_lead').responsibilities?.map(txt),
    ['Handles user/stakeholder communications'],
  ],
  [
    'Security Lead',
    (p) => f.role(p, 'security_lead').responsibilities?.map(txt),
    ['Assesses security implications, contains threats'],
  ],
  [
    'Finance Lead',
    (p) => f.role(p, 'finance_lead').responsibilities?.map(txt),
    ['Assesses financial impact, coordinates reconciliation'],
  ],
  [
    'on-call rotation: primary, secondary, escalation',
    (p) =>
      p.notes
        ?.map(txt)
        .some(
          (n) =>
            n.includes('Primary: 24/7 on-call engineer') &&
            n.includes('Secondary: Backup engineer') &&
            n.includes('Escalation: CTO/Security Officer'),
        ),
    true,
  ],
];

const phases: Fact[] = [
  [
    'six phases in order',
    (p) => p.phases.map((x) => txt(x.label)),
    [
      'Detection & Triage',
      'Initial Response',
      'Investigation & Containment',
      'Resolution',
      'Recovery',
      'Post-Incident Review',
    ],
  ],
  ['Detection & Triage: 0-15 minutes', (p) => f.window(p, 'detection_triage'), '0m–15m'],
  ['Initial Response: 15-60 minutes', (p) => f.window(p, 'initial_response'), '15m–60m'],
  ['Investigation & Containment: 1-4 hours', (p) => f.window(p, 'investigation_containment'), '1h–4h'],
  ['Resolution: 4-24 hours', (p) => f.window(p, 'resolution'), '4h–24h'],
  ['Recovery: 24-72 hours', (p) => f.window(p, 'recovery'), '24h–72h'],
  ['Post-Incident Review: within 7 days', (p) => f.window(p, 'post_incident_review'), '–7d'],
  [
    'detection actions',
    (p) => f.phase(p, 'detection_triage').actions?.map(txt),
    [
      'Acknowledge alert in monitoring system',
      'Assess severity level',
      'Create incident ticket',
      'Notify Incident Commander',
    ],
  ],
  [
    'monitoring channels',
    (p) => f.phase(p, 'detection_triage').sources?.map(txt),
    [
      'Application logs (Elasticsearch)',
      'Error tracking (Sentry)',
      'APM (New Relic/Datadog)',
      'Audit chain verification (daily)',
      'User reports (support tickets)',
    ],
  ],
  [
    'initial response actions',
    (p) => f.phase(p, 'initial_response').actions?.map(txt),
    [
      'Assemble team: Page relevant specialists',
      'Assess scope: How many users/tenants affected?',
      'Contain threat: Implement immediate mitigations',
      'Communicate: Update status page',
    ],
  ],
  [
    'technical investigation',
    (p) => f.checklist(p, 'technical_investigation'),
    [
      'Collect logs, metrics, traces',
      'Review recent deployments/changes',
      'Check audit log for anomalies',
      'Interview users (if needed)',
    ],
  ],
  [
    'investigation phase uses it',
    (p) => f.phase(p, 'investigation_containment').checklists,
    ['technical_investigation'],
  ],
  [
    'resolution: root cause identification, remediation, verification',
    (p) => f.phase(p, 'resolution').checklists,
    ['root_cause_identification', 'remediation', 'verification'],
  ],
  [
    'root cause identification',
    (p) => f.checklist(p, 'root_cause_identification'),
    ['Reproduce issue in staging', 'Identify code/config causing problem', 'Determine contributing factors'],
  ],
  [
    'remediation',
    (p) => f.checklist(p, 'remediation'),
    [
      'Deploy hotfix (if code issue)',
      'Update configuration',
      'Run data migration/correction',
      'Verify fix in production',
    ],
  ],
  [
    'verification',
    (p) => f.checklist(p, 'verification'),
    [
      'Monitor error rates for 1 hour',
      'Verify audit chain integrity',
      'Run reconciliation',
      'Confirm with affected users',
    ],
  ],
  [
    'recovery: data recovery, service restoration',
    (p) => f.phase(p, 'recovery').checklists,
    ['data_recovery', 'service_restoration'],
  ],
  [
    'data recovery (if needed)',
    (p) => f.checklist(p, 'data_recovery'),
    [
      'Restore from backup',
      'Replay audit log from last known-good state',
      'Manual ledger corrections (maker-checker)',
      'Re-credit affected users',
    ],
  ],
  [
    'service restoration',
    (p) => f.checklist(p, 'service_restoration'),
    [
      'Disable kill-switch',
      'Gradually increase traffic',
      'Monitor for regression',
      'Update status page to "Resolved"',
    ],
  ],
];

const containment: Fact[] = [
  [
    'security containment',
    (p) => f.checklist(p, 'security_containment'),
    [
      'Rotate compromised credentials',
      'Revoke suspicious JWT tokens',
      'Block malicious IPs at firewall',
      'Enable kill-switch (if necessary)',
      'Isolate affected tenants',
    ],
  ],
  [
    'financial containment',
    (p) => f.checklist(p, 'financial_containment'),
    [
      'Freeze affected wallets',
      'Halt withdrawals via kill-switch',
      'Export ledger snapshot',
      'Contact payment gateway',
      'Preserve evidence (database dumps)',
    ],
  ],
  [
    'availability containment',
    (p) => f.checklist(p, 'availability_containment'),
    [
      'Scale up resources',
      'Enable maintenance mode',
      'Failover to backup region',
      'Optimize slow queries',
      'Clear Redis cache (if safe)',
    ],
  ],
  [
    'security incidents use the security checklist',
    (p) => f.type(p, 'security').checklists,
    ['security_containment'],
  ],
  [
    'financial incidents use the financial checklist',
    (p) => f.type(p, 'financial').checklists,
    ['financial_containment'],
  ],
  [
    'availability incidents use the availability checklist',
    (p) => f.type(p, 'availability').checklists,
    ['availability_containment'],
  ],
  [
    'halting withdrawals flips the kill-switch',
    (p) =>
      p.checklists
        .find((c) => c.key === 'financial_containment')
        ?.items.find((i) => typeof i === 'object' && 'switch' in i),
    { text: 'Halt withdrawals via kill-switch', switch: 'kill_switch' },
  ],
];

export const REKBERKAN: Fact[] = [
  ...severities,
  ...roles,
  ...phases,
  ...containment,
  ...RUNBOOKS,
  ...ESCALATION,
  ...COMMUNICATIONS,
  ...OBLIGATIONS,
  ...REST,
];
