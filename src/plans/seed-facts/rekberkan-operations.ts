/** Seed 001 (Rekberkan), continued: runbooks, escalation, communications, obligations, metrics, drills, post-mortem. */
import { type Fact, facts } from './helpers.ts';

const f = facts('en');
const { txt, dur } = f;

export const RUNBOOKS: Fact[] = [
  [
    'ledger mismatch trigger',
    (p) => txt(f.runbook(p, 'ledger_mismatch').trigger?.text),
    'Daily reconciliation job fails',
  ],
  [
    'ledger mismatch steps',
    (p) => f.runbook(p, 'ledger_mismatch').steps.map((s) => txt(s.title)),
    [
      'Freeze financial operations',
      'Export ledger snapshot',
      'Verify audit chain',
      'Identify discrepancy',
      'Correct if necessary',
      'Re-run reconciliation',
      'Resume operations if passed',
    ],
  ],
  [
    'ledger mismatch step 1 command',
    (p) => f.runbook(p, 'ledger_mismatch').steps[0]?.command,
    'php artisan kill-switch:enable --reason="Ledger mismatch detected"',
  ],
  [
    'ledger mismatch step 1 turns the kill-switch on',
    (p) => f.runbook(p, 'ledger_mismatch').steps[0]?.action,
    { switch: 'kill_switch', set: 'on', reason: 'Ledger mismatch detected' },
  ],
  [
    'ledger mismatch step 2 command',
    (p) => f.runbook(p, 'ledger_mismatch').steps[1]?.command,
    'php artisan reconcile:export --date=today --format=csv',
  ],
  [
    'ledger mismatch step 3 command',
    (p) => f.runbook(p, 'ledger_mismatch').steps[2]?.command,
    'php artisan audit:verify',
  ],
  [
    'ledger mismatch step 4 items',
    (p) => f.runbook(p, 'ledger_mismatch').steps[3]?.items?.map(txt),
    [
      'Compare sum(wallet_ledger.amount) WHERE amount > 0 vs < 0',
      'Check for duplicate idempotency keys',
      'Review recent manual adjustments',
    ],
  ],
  [
    'ledger mismatch step 5 items (maker-checker)',
    (p) => f.runbook(p, 'ledger_mismatch').steps[4]?.items?.map(txt),
    ['Create correction entry (maker-checker required)', 'Document in incident ticket', 'Log to audit_log'],
  ],
  [
    'ledger mismatch step 6 command',
    (p) => f.runbook(p, 'ledger_mismatch').steps[5]?.command,
    'php artisan reconcile:run --date=today',
  ],
  [
    'ledger mismatch step 7 command',
    (p) => f.runbook(p, 'ledger_mismatch').steps[6]?.command,
    'php artisan kill-switch:disable',
  ],
  [
    'ledger mismatch step 7 turns the kill-switch off',
    (p) => f.runbook(p, 'ledger_mismatch').steps[6]?.action?.set,
    'off',
  ],
  [
    'audit chain tamper trigger',
    (p) => txt(f.runbook(p, 'audit_chain_tamper').trigger?.text),
    '`audit:verify` command fails',
  ],
  [
    'audit chain tamper steps',
    (p) =>
      f.runbook(p, 'audit_chain_tamper').steps.map((s) => `${s.critical ? 'CRITICAL: ' : ''}${txt(s.title)}`),
    [
      'CRITICAL: Do not delete evidence',
      'Immediately freeze all operations',
      'Export audit log',
      'Run detailed verification',
      'Identify tampered records',
      'Preserve evidence',
      'Notify legal/compliance',
      'Rebuild chain from backup (if necessary)',
      'Update security',
    ],
  ],
  [
    'audit chain tamper step 2 command',
    (p) => f.runbook(p, 'audit_chain_tamper').steps[1]?.command,
    'php artisan kill-switch:enable --reason="Audit tampering detected"',
  ],
  [
    'audit chain tamper step 3 command',
    (p) => f.runbook(p, 'audit_chain_tamper').steps[2]?.command,
    'pg_dump -t audit_log -F c -f /backups/audit_log_$(date +%s).dump',
  ],
  [
    'audit chain tamper step 4 command',
    (p) => f.runbook(p, 'audit_chain_tamper').steps[3]?.command,
    'php artisan audit:verify --tenant=all --verbose',
  ],
  [
    'audit chain tamper step 5-9 items',
    (p) =>
      f
        .runbook(p, 'audit_chain_tamper')
        .steps.slice(4)
        .map((s) => s.items?.map(txt)),
    [
      [
        'Note record IDs from verification output',
        'Check who has database access (DBA logs)',
        'Review application logs for suspicious admin activity',
      ],
      ['Screenshot verification output', 'Export affected records', 'Create forensic timeline'],
      ['Security incident report', 'Potential breach notification requirements'],
      [
        'Restore from last known-good backup',
        'Replay transactions from payment gateway',
        'Manually reconcile',
      ],
      ['Rotate database credentials', 'Review database access policies', 'Enable connection logging'],
    ],
  ],
  [
    'account takeover trigger',
    (p) => txt(f.runbook(p, 'account_takeover').trigger?.text),
    'User reports unauthorized access',
  ],
  [
    'account takeover steps',
    (p) => f.runbook(p, 'account_takeover').steps.map((s) => txt(s.title)),
    [
      'Verify report',
      'Freeze account',
      'Revoke sessions',
      'Review activity',
      'Rollback unauthorized actions (if financial)',
      'Contact user',
      'Re-enable account (after verification)',
    ],
  ],
  [
    'account takeover step 2 SQL',
    (p) => [
      f.runbook(p, 'account_takeover').steps[1]?.language,
      f.runbook(p, 'account_takeover').steps[1]?.command,
    ],
    ['sql', "UPDATE users SET status = 'FROZEN'\nWHERE id = [user_id] AND tenant_id = [tenant_id];"],
  ],
  [
    'account takeover step 3 command',
    (p) => f.runbook(p, 'account_takeover').steps[2]?.command,
    'php artisan tokens:revoke --user=[user_id]',
  ],
  [
    'account takeover step 7 items',
    (p) => f.runbook(p, 'account_takeover').steps[6]?.items?.map(txt),
    ['User confirms identity via KYC', 'User resets password', 'Enable MFA (mandatory)', 'Unfreeze account'],
  ],
  [
    'account takeover steps 1, 4-6 items',
    (p) => [0, 3, 4, 5].map((i) => f.runbook(p, 'account_takeover').steps[i]?.items?.map(txt)),
    [
      [
        "Check user's recent login history",
        'Review IP addresses and devices',
        'Check for unusual transactions',
      ],
      ["Export user's audit log", 'Check wallet transactions', 'Review chat messages (metadata only)'],
      [
        'Identify fraudulent withdrawals',
        'Create reversal entries (maker-checker)',
        'Contact payment gateway if needed',
      ],
      ['Email notification of freeze', 'Request identity verification', 'Provide password reset link'],
    ],
  ],
];

export const ESCALATION: Fact[] = [
  [
    'technical escalation',
    (p) => f.steps(p, 'technical'),
    [
      'On-call engineer (Primary): schedule:primary',
      'On-call engineer (Secondary): schedule:secondary',
      'Lead engineer: contact:lead_engineer',
      'CTO: contact:cto',
    ],
  ],
  [
    'security escalation',
    (p) => f.steps(p, 'security'),
    [
      'Security Lead: role:security_lead',
      'Security Officer: contact:security_officer',
      'CISO: contact:ciso only if available',
      'External security consultant: contact:external_security_consultant',
    ],
  ],
  [
    'financial escalation, board for losses > $100k',
    (p) => f.steps(p, 'financial'),
    [
      'Finance Lead: role:finance_lead',
      'CFO: contact:cfo',
      'Board: contact:board only for losses >$100k USD',
    ],
  ],
  [
    'legal escalation',
    (p) => f.steps(p, 'legal'),
    [
      'Compliance Officer: contact:compliance_officer',
      'Legal Counsel: contact:legal_counsel',
      'Data Protection Officer: contact:dpo only for breaches',
    ],
  ],
];

export const COMMUNICATIONS: Fact[] = [
  [
    'Slack #incidents',
    (p) => [f.channel(p, 'slack_incidents').type, f.channel(p, 'slack_incidents').target],
    ['slack', '#incidents'],
  ],
  [
    'war room',
    (p) => [f.channel(p, 'war_room').type, f.channel(p, 'war_room').target],
    ['meeting', 'Zoom/Google Meet link'],
  ],
  [
    'Confluence',
    (p) => [f.channel(p, 'confluence').type, f.channel(p, 'confluence').target],
    ['docs', 'Confluence incident page'],
  ],
  [
    'status page',
    (p) => [f.channel(p, 'status_page').type, f.channel(p, 'status_page').target],
    ['statuspage', 'status.rekberkan.com'],
  ],
  ['e-mail to affected users', (p) => f.channel(p, 'email').target, 'Affected users via notification system'],
  ['social media for S1 only', (p) => f.channel(p, 'social_media').applies_to?.severities, ['S1']],
  [
    'communication template',
    (p) => txt(f.template(p, 'status_update').body),
    'Incident: {{incident.title}}\nSeverity: {{incident.severity}}\nAffected: {{incident.affected}}\nStatus: {{incident.status_label}}\nNext Update: {{next_update}}\n',
  ],
];

export const OBLIGATIONS: Fact[] = [
  [
    'data breach: BSSN within 72 hours',
    (p) => [dur(f.obligationTo(p, 'BSSN').deadline), f.obligationTo(p, 'BSSN').starts_at],
    ['72h', 'detected'],
  ],
  [
    'data breach incidents carry it',
    (p) => f.obligationsOf(p, 'data_breach'),
    ['BSSN (Indonesia) within 72h'],
  ],
  ['financial fraud: OJK within 24 hours', (p) => dur(f.obligationTo(p, 'OJK').deadline), '24h'],
  ['financial fraud incidents carry it', (p) => f.obligationsOf(p, 'financial_fraud'), ['OJK within 24h']],
  [
    'service outage: SLA-based notice to enterprise clients',
    (p) => f.obligationsOf(p, 'availability'),
    ['Enterprise clients within 1h'],
  ],
];

export const REST: Fact[] = [
  [
    'metrics tracked',
    (p) => p.metrics?.track?.map(txt),
    [
      'Mean Time to Detect (MTTD)',
      'Mean Time to Acknowledge (MTTA)',
      'Mean Time to Resolve (MTTR)',
      'Incident count by severity',
      'Recurrence rate',
    ],
  ],
  [
    'tabletop exercises quarterly',
    (p) => [f.drill(p, 'tabletop').kind, dur(f.drill(p, 'tabletop').every)],
    ['tabletop', '3mo'],
  ],
  [
    'fire drills bi-annually, simulating S1',
    (p) => [
      f.drill(p, 'fire_drill').kind,
      dur(f.drill(p, 'fire_drill').every),
      f.drill(p, 'fire_drill').severity,
    ],
    ['fire_drill', '6mo', 'S1'],
  ],
  [
    'required access',
    (p) => f.checklist(p, 'required_access'),
    [
      'Database read/write credentials (encrypted vault)',
      'Production server SSH keys',
      'AWS/Cloud console access',
      'Monitoring system (Datadog/New Relic)',
      'Status page admin',
    ],
  ],
  [
    'emergency contacts',
    (p) =>
      ['on_call_phones', 'payment_gateway_support', 'cloud_provider_support', 'ddos_mitigation_provider'].map(
        (k) => txt(f.contact(p, k).label),
      ),
    [
      'On-call phone numbers',
      'Payment gateway support hotline',
      'Cloud provider support',
      'DDoS mitigation provider',
    ],
  ],
  ['post-mortem title', (p) => txt(p.postmortem?.template.title), 'Incident Post-Mortem: {{incident.title}}'],
  ['post-mortem heading levels: # title, ## sections', (p) => p.postmortem?.template.heading_level, 1],
  [
    'post-mortem sections',
    (p) => f.sectionTitles(p),
    [
      'Incident Summary',
      'Timeline',
      'Root Cause',
      'Contributing Factors',
      'What Went Well',
      'What Went Poorly',
      'Action Items',
      'Lessons Learned',
    ],
  ],
  [
    'post-mortem summary lines',
    (p) => f.section(p, 'summary'),
    '- Date: {{incident.detected_at}}\n- Severity: {{incident.severity}}\n- Duration: {{incident.duration}}\n- Impact: {{incident.impact}}',
  ],
  [
    'post-mortem timeline lines',
    (p) => f.section(p, 'timeline'),
    '- HH:MM - Incident detected\n- HH:MM - Team assembled\n- HH:MM - Root cause identified\n- HH:MM - Fix deployed\n- HH:MM - Incident resolved',
  ],
  [
    'action items as a table',
    (p) => [p.postmortem?.action_items.format, p.postmortem?.action_items.columns?.map(txt)],
    ['table', ['Action', 'Owner', 'Deadline', 'Priority']],
  ],
  [
    'action item table rows',
    (p) => f.section(p, 'action_items'),
    '| Action | Owner | Deadline | Priority |\n|--------|-------|----------|----------|\n| Fix X | Dev Team | YYYY-MM-DD | P0 |\n| Document Y | Ops Team | YYYY-MM-DD | P1 |',
  ],
  ['contributing factors', (p) => f.section(p, 'contributing_factors'), '1. [Factor 1]\n2. [Factor 2]'],
  ['lessons learned', (p) => f.section(p, 'lessons_learned'), '[Key takeaways]'],
];
