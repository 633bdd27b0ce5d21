/** Seed 003 (the VPN service), fact by fact, as the seed states them. */
import { type Fact, facts } from './helpers.ts';

const f = facts('en');
const { txt, dur, items } = f;

export const VPN: Fact[] = [
  [
    'P0 page, P1 ticket, P2 info',
    (p) => p.severities.map((s) => `${s.key} ${txt(s.label)} ${s.level}`),
    ['P0 Critical page', 'P1 High ticket', 'P2 Medium info'],
  ],
  [
    'P0 examples',
    (p) => f.severity(p, 'P0').examples?.map(txt),
    ['System unavailable', 'Data breach', 'Payment processing down', 'Security incident'],
  ],
  [
    'P1 examples',
    (p) => f.severity(p, 'P1').examples?.map(txt),
    ['System degraded', 'Partial functionality loss', 'Performance degradation', 'Cost anomalies'],
  ],
  [
    'P2 examples',
    (p) => f.severity(p, 'P2').examples?.map(txt),
    ['Minor issues', 'Non-critical errors', 'Informational alerts'],
  ],
  [
    'alert levels map to severities',
    (p) => p.routing.rules[0]?.severity_from?.map,
    { PAGE: 'P0', TICKET: 'P1', INFO: 'P2' },
  ],
  [
    'detection sources',
    (p) => f.phase(p, 'detection').sources?.map(txt),
    [
      'Health checks',
      'Alerts (PAGE, TICKET, INFO)',
      'Metrics anomalies',
      'User reports',
      'Monitoring dashboards',
    ],
  ],
  [
    'detection actions',
    (p) => f.phase(p, 'detection').actions?.map(txt),
    [
      'Review alert details',
      'Check system state',
      'Review metrics',
      'Check logs for errors',
      'Verify incident context (correlation ID)',
    ],
  ],
  [
    'containment: immediate actions',
    (p) => f.phase(p, 'containment').actions?.map(txt),
    [
      'Identify affected components',
      'Isolate affected systems if needed',
      'Activate incident context (correlation ID)',
      'Notify on-call engineer',
      'Document timeline',
    ],
  ],
  [
    'containment strategies by type',
    (p) => p.incident_types.map((t) => `${txt(t.label)}: ${items(t.containment).join(', ')}`),
    [
      'Database Failure: Stop writes, Continue reads if possible',
      'VPN API Failure: Degrade gracefully, Queue activations',
      'Payment Failure: Stop payment processing, Queue payments',
      'Security Incident: Isolate affected systems, Preserve evidence',
    ],
  ],
  [
    'degrade gracefully with switches: stop writes, queue activations, stop payments',
    (p) =>
      p.incident_types.flatMap((t) =>
        (t.containment ?? []).flatMap((i) => (typeof i === 'object' && 'switch' in i ? [i.switch] : [])),
      ),
    ['database_writes', 'queue_activations', 'payment_processing'],
  ],
  [
    'eradication actions',
    (p) => f.phase(p, 'eradication').actions?.map(txt),
    ['Identify root cause', 'Fix underlying issue', 'Verify fix', 'Test in staging if possible'],
  ],
  [
    'eradication steps',
    (p) => f.runbook(p, f.phase(p, 'eradication').runbooks![0]!).steps.map((s) => txt(s.title)),
    [
      'Review logs with correlation ID',
      'Identify root cause',
      'Apply fix',
      'Verify fix works',
      'Monitor for recurrence',
    ],
  ],
  [
    'recovery actions',
    (p) => f.phase(p, 'recovery').actions?.map(txt),
    ['Restore normal operation', 'Verify system health', 'Monitor for stability', 'Clear incident context'],
  ],
  [
    'recovery steps',
    (p) => f.runbook(p, f.phase(p, 'recovery').runbooks![0]!).steps.map((s) => txt(s.title)),
    [
      'Verify system state is HEALTHY',
      'Check all health checks pass',
      'Verify background workers resumed',
      'Check for any stuck operations',
      'Review logs for errors',
      'Verify data integrity',
      'Monitor for 10 minutes',
      'Clear incident context',
    ],
  ],
  [
    'post-mortem actions',
    (p) => f.phase(p, 'post_mortem').actions?.map(txt),
    ['Document incident', 'Identify improvements', 'Update runbooks', 'Schedule follow-up'],
  ],
  [
    'post-mortem template: see docs/postmortem/template.md',
    (p) => p.notes?.map(txt).some((n) => n.includes('docs/postmortem/template.md')),
    true,
  ],
  [
    'roles',
    (p) => p.roles.map((r) => `${txt(r.label)}: ${r.responsibilities?.map(txt).join(', ')}`),
    [
      'On-Call Engineer: Respond to alerts, Contain incident, Escalate if needed, Document actions',
      'Incident Commander: Coordinate response, Make decisions, Communicate status, Manage timeline',
      'Subject Matter Experts: Provide expertise, Assist with resolution, Review fixes, Update documentation',
    ],
  ],
  [
    'internal: slack/email, updates every 15 minutes',
    (p) => [f.audience(p, 'internal').channels, dur(f.audience(p, 'internal').update_every)],
    [['slack', 'email'], '15m'],
  ],
  [
    'internal: incident channel, resolution announcement',
    (p) => txt(f.audience(p, 'internal').description),
    'Incident channel created; status updates every 15 minutes; resolution announcement.',
  ],
  [
    'users: status page, notifications, support',
    (p) => [f.audience(p, 'users').external, txt(f.audience(p, 'users').description)],
    [true, 'Status page updated; user notifications if needed; support responses.'],
  ],
  [
    'stakeholders',
    (p) => txt(f.audience(p, 'stakeholders').description),
    'Executive summary; impact assessment; resolution timeline.',
  ],
  [
    'timeline T+0/5/15/30/60',
    (p) => p.phases.map((x) => `${x.key} ${f.window(p, x.key)}`),
    ['detection 0m–', 'containment 0m–5m', 'eradication 5m–15m', 'recovery 15m–30m', 'post_mortem 30m–60m'],
  ],
  [
    'timeline milestones',
    (p) => p.phases.map((x) => txt(x.description)),
    [
      'T+0: Alert received; incident context created; on-call engineer notified.',
      'T+5: Incident assessed; containment actions taken; status communicated.',
      'T+15: Root cause identified; fix applied; verification started.',
      'T+30: System recovered; health verified; monitoring active.',
      'T+60: Incident documented; improvements identified; follow-up scheduled.',
    ],
  ],
  [
    'escalation path: on-call, team lead T+15, manager T+30, CTO T+60 if unresolved',
    (p) => f.steps(p, 'on_call'),
    [
      'On-Call Engineer: role:on_call after 0m if always',
      'Team Lead: contact:team_lead after 15m if unresolved',
      'Engineering Manager: contact:engineering_manager after 30m if unresolved',
      'CTO/VP Engineering: contact:cto after 60m if unresolved',
    ],
  ],
  [
    'escalation duties',
    (p) => f.path(p, 'on_call').steps.map((s) => s.duties?.map(txt).join(', ')),
    [
      'Initial response, Containment',
      'Escalation decision, Additional resources',
      'Strategic decisions, Resource allocation',
      'Executive decisions, External communication',
    ],
  ],
  [
    'every severity escalates on that path',
    (p) => p.severities.map((s) => s.escalation),
    ['on_call', 'on_call', 'on_call'],
  ],
  [
    'detection checklist',
    (p) => items(f.phase(p, 'detection').checklist),
    [
      'Alert received',
      'Incident context created (correlation ID)',
      'System state checked',
      'Metrics reviewed',
      'Logs reviewed',
    ],
  ],
  [
    'containment checklist',
    (p) => items(f.phase(p, 'containment').checklist),
    [
      'Affected components identified',
      'Containment actions taken',
      'On-call engineer notified',
      'Timeline documented',
      'Status communicated',
    ],
  ],
  [
    'eradication checklist',
    (p) => items(f.phase(p, 'eradication').checklist),
    ['Root cause identified', 'Fix applied', 'Fix verified', 'Testing completed'],
  ],
  [
    'recovery checklist',
    (p) => items(f.phase(p, 'recovery').checklist),
    [
      'System state HEALTHY',
      'Health checks pass',
      'Background workers running',
      'No errors in logs',
      'Data integrity verified',
      'Monitoring active',
    ],
  ],
  [
    'post-mortem checklist',
    (p) => items(f.phase(p, 'post_mortem').checklist),
    [
      'Incident documented',
      'Timeline reconstructed',
      'Root cause analyzed',
      'Improvements identified',
      'Runbooks updated',
      'Follow-up scheduled',
    ],
  ],
  ['blameless post-mortems', (p) => p.postmortem?.blameless, true],
  [
    'lessons learned: what went well, what could be improved, action items',
    (p) => ['went_well', 'could_improve', 'action_items'].map((k) => f.section(p, k)),
    [
      'Document successful actions. Identify effective mitigations.',
      'Identify gaps. Propose improvements.',
      'Assign owners. Set deadlines. Track progress.',
    ],
  ],
  [
    'emergency contacts',
    (p) => p.contacts.map((c) => txt(c.label)),
    ['Team Lead', 'Engineering Manager', 'CTO/VP Engineering', 'Security Team'],
  ],
  [
    'notes',
    (p) => p.notes?.slice(0, 4).map(txt),
    [
      '⚠️ **Preserve evidence** for security incidents',
      '⚠️ **Document everything** during incident',
      '⚠️ **Communicate frequently** with stakeholders',
      '⚠️ **No blame** in post-mortems',
    ],
  ],
];
