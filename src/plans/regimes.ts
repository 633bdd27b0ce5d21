/**
 * Siaga's library of regulatory notification regimes. A plan's obligation names one with
 * `regime:` and inherits who must be told, by when and from what moment; anything the plan
 * states itself wins, because a plan's lawyers may read a rule more strictly than the summary.
 */
import type { z } from 'zod';
import { type Duration, parseDuration } from '../shared/duration.ts';
import type { Text } from '../shared/text.ts';
import type { PathProblem } from './problems.ts';
import type { ObligationInput, ObligationStartSchema } from './schema/obligations.ts';
import type { PlanDocument } from './schema/plan.ts';
import { unknownMessage } from './suggest.ts';

export type ObligationStart = z.output<typeof ObligationStartSchema>;

export type Regime = {
  key: string;
  label: string;
  jurisdiction: string;
  recipient: Text;
  /** Duration text, as a plan would write it. */
  deadline: string;
  /** Chained stages name the previous stage by its regime key ("obligation:dora_initial"). */
  starts_at: ObligationStart;
  reference: string;
  /** Zone whose working days count, for deadlines in business days. */
  timezone?: string;
};

export const REGIMES: readonly Regime[] = [
  {
    key: 'gdpr_art33',
    label: 'GDPR Art. 33: notify the supervisory authority',
    jurisdiction: 'EU',
    recipient: 'Supervisory authority (data protection)',
    deadline: '72h',
    starts_at: 'detected',
    reference:
      'GDPR Art. 33: without undue delay and, where feasible, not later than 72 hours after becoming aware of a personal data breach; give reasons if later.',
  },
  {
    key: 'gdpr_art34',
    label: 'GDPR Art. 34: tell the data subjects',
    jurisdiction: 'EU',
    recipient: 'Data subjects',
    // The regulation sets no number of hours: "without undue delay" once high risk is established.
    deadline: 'immediate',
    starts_at: 'manual',
    reference:
      'GDPR Art. 34: when a breach is likely to result in a high risk to the rights and freedoms of people, communicate it to them without undue delay.',
  },
  {
    key: 'nis2_early_warning',
    label: 'NIS2 Art. 23: early warning',
    jurisdiction: 'EU',
    recipient: 'CSIRT or competent authority',
    deadline: '24h',
    starts_at: 'detected',
    reference:
      'NIS2 Art. 23(4)(a): early warning within 24 hours of becoming aware of a significant incident.',
  },
  {
    key: 'nis2_notification',
    label: 'NIS2 Art. 23: incident notification',
    jurisdiction: 'EU',
    recipient: 'CSIRT or competent authority',
    deadline: '72h',
    starts_at: 'detected',
    reference:
      'NIS2 Art. 23(4)(b): incident notification within 72 hours of becoming aware of a significant incident.',
  },
  {
    key: 'nis2_final_report',
    label: 'NIS2 Art. 23: final report',
    jurisdiction: 'EU',
    recipient: 'CSIRT or competent authority',
    deadline: '1mo',
    starts_at: 'obligation:nis2_notification',
    reference: 'NIS2 Art. 23(4)(d): final report no later than one month after the incident notification.',
  },
  {
    key: 'dora_initial',
    label: 'DORA: initial notification',
    jurisdiction: 'EU (financial entities)',
    recipient: 'Competent authority',
    deadline: '4h',
    starts_at: 'manual',
    reference:
      'DORA Art. 19 and its technical standards: initial notification within 4 hours of classifying the incident as major, and at most 24 hours after becoming aware of it.',
  },
  {
    key: 'dora_intermediate',
    label: 'DORA: intermediate report',
    jurisdiction: 'EU (financial entities)',
    recipient: 'Competent authority',
    deadline: '72h',
    starts_at: 'obligation:dora_initial',
    reference: 'DORA Art. 19: intermediate report within 72 hours of the initial notification.',
  },
  {
    key: 'dora_final',
    label: 'DORA: final report',
    jurisdiction: 'EU (financial entities)',
    recipient: 'Competent authority',
    deadline: '1mo',
    starts_at: 'obligation:dora_intermediate',
    reference: 'DORA Art. 19: final report within one month of the intermediate report.',
  },
  {
    key: 'uu_pdp_art46',
    label: 'UU PDP Art. 46: notify data subjects and the PDP agency',
    jurisdiction: 'Indonesia',
    recipient: { en: 'Data subjects and the PDP agency', id: 'Subjek data dan lembaga PDP' },
    deadline: '72h',
    starts_at: 'detected',
    reference:
      'Law 27/2022 on Personal Data Protection, Art. 46: written notice within 3 × 24 hours of a personal data protection failure.',
    timezone: 'Asia/Jakarta',
  },
  {
    key: 'bssn',
    label: 'BSSN: report to the sectoral CSIRT',
    jurisdiction: 'Indonesia',
    recipient: {
      en: 'Sectoral CSIRT, copy to the national CSIRT (BSSN)',
      id: 'CSIRT sektor, tembusan ke CSIRT nasional (BSSN)',
    },
    deadline: '24h',
    starts_at: 'detected',
    reference:
      'BSSN Regulation 1/2024, Art. 15: report within 1 × 24 hours of discovering an incident in vital information infrastructure.',
    timezone: 'Asia/Jakarta',
  },
  {
    key: 'ojk_initial',
    label: 'OJK: initial notice',
    jurisdiction: 'Indonesia (banks)',
    recipient: 'OJK (Otoritas Jasa Keuangan)',
    deadline: '24h',
    starts_at: 'detected',
    reference:
      'POJK 11/2022 with SEOJK 29/2022: initial notice to OJK within 24 hours of detecting the incident.',
    timezone: 'Asia/Jakarta',
  },
  {
    key: 'ojk_full_report',
    label: 'OJK: full report',
    jurisdiction: 'Indonesia (banks)',
    recipient: 'OJK (Otoritas Jasa Keuangan)',
    deadline: '5bd',
    // Counted from detection, not from the initial notice (SEOJK 29/2022).
    starts_at: 'detected',
    reference: 'POJK 11/2022 with SEOJK 29/2022: full incident report within 5 working days of detection.',
    timezone: 'Asia/Jakarta',
  },
  {
    key: 'sec_8k',
    label: 'SEC Form 8-K Item 1.05',
    jurisdiction: 'United States (listed companies)',
    recipient: 'SEC (public Form 8-K filing)',
    deadline: '4bd',
    starts_at: 'manual',
    reference:
      'SEC Form 8-K Item 1.05: file within 4 business days of determining that a cybersecurity incident is material.',
    timezone: 'America/New_York',
  },
  {
    key: 'hipaa',
    label: 'HIPAA breach notification',
    jurisdiction: 'United States (health)',
    recipient: 'Affected individuals and HHS',
    deadline: '60d',
    starts_at: 'detected',
    reference:
      'HIPAA Breach Notification Rule (45 CFR 164.404): within 60 calendar days of discovering the breach.',
  },
  {
    key: 'sg_pdpa',
    label: 'Singapore PDPA data breach notification',
    jurisdiction: 'Singapore',
    recipient: 'PDPC and affected individuals',
    deadline: '3d',
    starts_at: 'manual',
    reference:
      'PDPA s. 26D: notify the PDPC within 3 calendar days of assessing that the breach is notifiable.',
    timezone: 'Asia/Singapore',
  },
];

const BY_KEY = new Map(REGIMES.map((r) => [r.key, r]));

export function regime(key: string): Regime | undefined {
  return BY_KEY.get(key);
}

/** An obligation after its regime's defaults are applied: every clock can be computed. */
export type Obligation = Omit<ObligationInput, 'recipient' | 'deadline' | 'starts_at'> & {
  recipient: Text;
  deadline: Duration;
  starts_at: ObligationStart;
  /** Zone whose working days count for business-day deadlines (from the regime), else the plan's calendar. */
  timezone?: string;
};

/** The plan Siaga runs: the document as validated, with obligations resolved. */
export type Plan = Omit<PlanDocument, 'obligations'> & { obligations: Obligation[] };

/**
 * Applies regime defaults. A regime's chained start names the previous stage by regime key;
 * in a plan it must name an obligation, so it is pointed at the plan's obligation of that
 * regime when the plan did not reuse the regime key as the obligation key.
 */
export function resolveObligations(input: readonly (ObligationInput | undefined)[]): {
  obligations: (Obligation | undefined)[];
  problems: PathProblem[];
} {
  const problems: PathProblem[] = [];
  const obligations = input.map((ob, i): Obligation | undefined => {
    if (!ob) return undefined;
    const path = ['obligations', i];
    const reg = ob.regime === undefined ? undefined : regime(ob.regime);
    if (ob.regime !== undefined && !reg) {
      problems.push({
        path: [...path, 'regime'],
        message: unknownMessage('regime', ob.regime, [...BY_KEY.keys()]),
      });
    }
    const recipient = ob.recipient ?? reg?.recipient;
    const deadline = ob.deadline ?? (reg ? parseDuration(reg.deadline)! : undefined);
    const starts_at = ob.starts_at ?? (reg ? chainedStart(reg.starts_at, input) : undefined);
    const lacking = [
      recipient === undefined ? 'recipient' : undefined,
      deadline === undefined ? 'deadline' : undefined,
      starts_at === undefined ? 'starts_at' : undefined,
    ].filter((k): k is string => k !== undefined);
    for (const key of lacking) {
      // A known regime supplies all three; an unknown one is reported above, once.
      if (ob.regime !== undefined) continue;
      problems.push({
        path: [...path, key],
        message: `"${key}" is missing: state it, or name a regime that supplies it (regime: ${[...BY_KEY.keys()].slice(0, 4).join(' | ')} | …)`,
      });
    }
    if (recipient === undefined || deadline === undefined || starts_at === undefined) return undefined;
    const resolved: Obligation = { ...ob, recipient, deadline, starts_at };
    if (ob.reference === undefined && reg) resolved.reference = reg.reference;
    if (reg?.timezone) resolved.timezone = reg.timezone;
    return resolved;
  });
  return { obligations, problems };
}

function chainedStart(
  start: ObligationStart,
  all: readonly (ObligationInput | undefined)[],
): ObligationStart {
  if (!start.startsWith('obligation:')) return start;
  const regimeKey = start.slice('obligation:'.length);
  if (all.some((o) => o?.key === regimeKey)) return start;
  const stages = all.filter((o) => o?.regime === regimeKey);
  return stages.length === 1 ? `obligation:${stages[0]!.key}` : start;
}
