/** Seed 002 (Clario), fact by fact, as the seed states them. */
import { type Fact, facts } from './helpers.ts';

const f = facts('en');
const { txt, dur } = f;

export const CLARIO: Fact[] = [
  ['owner: IT + Engineering', (p) => p.owner, 'IT + Engineering'],
  ['status: ACTIVE', (p) => txt(p.description).includes('Status: ACTIVE'), true],
  [
    'five incident types',
    (p) => p.incident_types.map((t) => `${txt(t.label)}: ${txt(t.description)}`),
    [
      'Data Breach: Customer data accessed/stolen',
      'System Compromise: Server/account hacked',
      'DDoS Attack: Service unavailable due to attack',
      'Insider Threat: Employee malicious activity',
      'Phishing: Team member clicked malicious link',
    ],
  ],
  [
    'P0 response steps in order',
    (p) => p.phases.map((x) => txt(x.label)),
    [
      'Step 1: Contain',
      'Step 2: Assess',
      'Step 3: Eradicate',
      'Step 4: Recover',
      'Step 5: Notify',
      'Step 6: Post-Mortem',
    ],
  ],
  ['contain (0-1 hour)', (p) => f.window(p, 'contain'), '0m–{"P0":"1h"}'],
  ['assess (1-4 hours)', (p) => f.window(p, 'assess'), '1h–{"P0":"4h"}'],
  ['eradicate (4-24 hours)', (p) => f.window(p, 'eradicate'), '4h–{"P0":"24h"}'],
  ['recover (1-3 days)', (p) => f.window(p, 'recover'), '1d–{"P0":"3d"}'],
  ['notify (24-72 hours)', (p) => f.window(p, 'notify'), '24h–{"P0":"72h"}'],
  ['post-mortem (1 week after)', (p) => f.window(p, 'post_mortem'), '–{"P0":"1w"}'],
  [
    'contain',
    (p) => f.items(f.phase(p, 'contain').checklist),
    [
      'Isolate affected systems (disconnect from network if needed)',
      'Revoke compromised credentials immediately',
      'Block malicious IPs (if DDoS)',
    ],
  ],
  [
    'assess',
    (p) => f.items(f.phase(p, 'assess').checklist),
    [
      'Determine scope (what data/systems affected?)',
      'Identify root cause (how did breach occur?)',
      'Estimate impact (customer count, data types)',
    ],
  ],
  [
    'eradicate',
    (p) => f.items(f.phase(p, 'eradicate').checklist),
    ['Remove malware/backdoors', 'Patch vulnerabilities', 'Reset all passwords (if credential breach)'],
  ],
  [
    'recover',
    (p) => f.items(f.phase(p, 'recover').checklist),
    ['Restore from backups (if needed)', 'Bring systems back online', 'Monitor for reinfection'],
  ],
  [
    'notify',
    (p) => f.items(f.phase(p, 'notify').checklist),
    [
      'Customers (if their data affected)',
      'Authorities (if legally required - Indonesia: BSSN)',
      'Insurance (if applicable)',
    ],
  ],
  [
    'post-mortem',
    (p) => f.items(f.phase(p, 'post_mortem').checklist),
    [
      'Document timeline',
      "Identify failures (why didn't we prevent this?)",
      'Implement fixes (update policies, add monitoring)',
    ],
  ],
  [
    'notification clocks for P0: customers, BSSN, insurance within 72 hours',
    (p) =>
      p.obligations.map(
        (o) => `${txt(o.recipient)} ${o.deadline.text} ${o.applies_to?.severities?.join(',')}`,
      ),
    [
      'Customers (if their data affected) 72h P0',
      'Authorities (if legally required - Indonesia: BSSN) 72h P0',
      'Insurance (if applicable) 72h P0',
    ],
  ],
  [
    'customers are told with the e-mail template',
    (p) => f.obligationTo(p, 'Customers').template,
    'customer_notification',
  ],
  [
    'internal alert (Slack #incidents)',
    (p) => [
      f.channel(p, f.template(p, 'internal_alert').channels![0]!).target,
      txt(f.template(p, 'internal_alert').body),
    ],
    [
      '#incidents',
      '🚨 SECURITY INCIDENT - {{incident.severity}}\nType: {{incident.type_label}}\nStatus: {{incident.status_label}}\nImpact: {{incident.impact}}\nNext Update: {{next_update}}',
    ],
  ],
  [
    'customer notification subject',
    (p) => txt(f.template(p, 'customer_notification').subject),
    'Important Security Update',
  ],
  [
    'customer notification body',
    (p) => txt(f.template(p, 'customer_notification').body),
    [
      'Dear {{recipient.name}},',
      '',
      'We are writing to inform you of a security incident that may have affected your account.',
      '',
      'What happened: {{fields.what_happened}}',
      'What data was affected: {{fields.data_affected}}',
      "What we're doing: {{fields.our_response}}",
      'What you should do: {{fields.customer_actions}}',
      '',
      'We sincerely apologize. Questions: security@clario.id',
      '',
      'Regards,',
      '{{fields.founder}}',
    ].join('\n'),
  ],
  [
    'customer notification goes by e-mail',
    (p) => f.channel(p, f.template(p, 'customer_notification').channels![0]!).type,
    'email',
  ],
  ['incident contact: security@clario.id', (p) => f.contact(p, 'security').email, 'security@clario.id'],
  [
    'escalation: Founder for P0-P1',
    (p) => [f.steps(p, 'founder'), f.path(p, 'founder').applies_to?.severities],
    [['Founder: contact:founder'], ['P0', 'P1']],
  ],
  ['incident log in Notion', (p) => p.notes?.map(txt).some((n) => n.includes('Notion database')), true],
  [
    'example log entry: phishing, P2, 1 employee, password reset',
    (p) => f.type(p, 'phishing').examples?.map(txt),
    ['2026-02-15, P2: 1 employee affected; resolved by password reset'],
  ],
  ['regular pentests (quarterly)', (p) => dur(f.routine(p, 'pentest').every), '3mo'],
  ['access reviews (quarterly)', (p) => dur(f.routine(p, 'access_review').every), '3mo'],
  [
    'security training (all employees, annually)',
    (p) => [txt(f.routine(p, 'security_training').label), dur(f.routine(p, 'security_training').every)],
    ['Security training (all employees)', '12mo'],
  ],
  [
    'incident drills (simulate breach, practice response)',
    (p) => [f.drill(p, 'breach_simulation').kind, txt(f.drill(p, 'breach_simulation').description)],
    ['simulation', 'Simulate breach, practice response'],
  ],
  [
    'SIEM monitoring and intrusion detection',
    (p) =>
      p.notes
        ?.map(txt)
        .some(
          (n) =>
            n.includes('SIEM monitoring (consider Sentry Enterprise)') &&
            n.includes('intrusion detection (firewall rules)'),
        ),
    true,
  ],
  ['post-mortem: timeline, failures, fixes', (p) => f.sectionTitles(p), ['Timeline', 'Failures', 'Fixes']],
];
