/**
 * Which escalation policy an incident gets, and the steps it means, as plain data: the
 * snapshot stored with the escalation so a later edit of the plan or the on-call file never
 * changes one in flight.
 */
import { roughMs } from '../plans/durations.ts';
import { applies, escalationFor, type ResolvedEscalation } from '../plans/lookup.ts';
import type { Plan } from '../plans/regimes.ts';
import type { EscalationPath } from '../plans/schema/escalation.ts';
import type { Target } from '../plans/schema/primitives.ts';
import { addDuration, type Calendar } from '../shared/calendar.ts';
import type { Duration } from '../shared/duration.ts';
import type { Text } from '../shared/text.ts';

export type SnapshotStep = {
  label?: Text;
  after?: Duration;
  if: 'unacknowledged' | 'unresolved' | 'always';
  notify: Target[];
};

export type PolicySnapshot = {
  source: ResolvedEscalation['source'] | 'oncall_file';
  key?: string;
  label?: Text;
  repeat: number;
  steps: SnapshotStep[];
  calendar: Calendar;
};

export type IncidentFacts = { severity: string; type: string; services: string[] };

/**
 * The most specific rule wins: a path the plan names for the type, a service or the severity;
 * then an on-call file policy whose applies_to covers the incident; then the plan's
 * applies_to paths and its matrix.
 */
export function choosePolicy(
  plan: Plan,
  filePolicies: EscalationPath[],
  at: IncidentFacts,
): PolicySnapshot | undefined {
  const calendar: Calendar = plan.calendar;
  const services = at.services.length > 0 ? at.services : [undefined];
  let fromPlan: ResolvedEscalation | undefined;
  for (const service of services) {
    const r = escalationFor(plan, { severity: at.severity, type: at.type, ...(service ? { service } : {}) });
    if (r && (fromPlan === undefined || rank(r.source) < rank(fromPlan.source))) fromPlan = r;
  }
  if (fromPlan && rank(fromPlan.source) <= rank('severity')) return snapshot(fromPlan, calendar);
  const file = filePolicies.find((p) =>
    applies(p.applies_to, { severity: at.severity, type: at.type, services: at.services }),
  );
  if (file) {
    return {
      source: 'oncall_file',
      key: file.key,
      label: file.label,
      repeat: file.repeat,
      steps: file.steps.map(stepOf),
      calendar,
    };
  }
  return fromPlan ? snapshot(fromPlan, calendar) : undefined;
}

const ORDER: ResolvedEscalation['source'][] = ['type', 'service', 'severity', 'applies_to', 'matrix'];
const rank = (s: ResolvedEscalation['source']) => ORDER.indexOf(s);

function stepOf(s: EscalationPath['steps'][number]): SnapshotStep {
  return {
    ...(s.label !== undefined ? { label: s.label } : {}),
    ...(s.after !== undefined ? { after: s.after } : {}),
    if: s.if,
    notify: s.notify,
  };
}

function snapshot(r: ResolvedEscalation, calendar: Calendar): PolicySnapshot {
  return {
    source: r.source,
    ...(r.key !== undefined ? { key: r.key } : {}),
    ...(r.label !== undefined ? { label: r.label } : {}),
    repeat: r.repeat,
    steps: r.steps.map(stepOf),
    calendar,
  };
}

const MIN_ROUND_MS = 60_000;

/**
 * How long one round of a repeating policy lasts: up to its last timed step, plus the gap
 * before that step again (so 0/15/30 repeats at 45), at least a minute.
 */
export function roundLength(p: PolicySnapshot): number {
  const times = p.steps.filter((s) => s.after).map((s) => roughMs(s.after!));
  if (times.length === 0) return MIN_ROUND_MS;
  const last = Math.max(...times);
  const before = times.filter((t) => t < last);
  const gap = before.length > 0 ? last - Math.max(...before) : last;
  return Math.max(MIN_ROUND_MS, last + gap);
}

export type PlannedStep = {
  round: number;
  position: number;
  label: string | null;
  condition: SnapshotStep['if'];
  targets: Target[];
  dueAt: Date | null;
};

function labelText(t: Text | undefined): string | null {
  if (t === undefined) return null;
  return typeof t === 'string' ? t : (t.en ?? t.id ?? null);
}

/** The steps of one round, due from the escalation's start; a step without `after` is by hand. */
export function planRound(p: PolicySnapshot, startedAt: Date, round: number): PlannedStep[] {
  const roundStart = new Date(startedAt.getTime() + round * roundLength(p));
  return p.steps.map((s, position) => ({
    round,
    position,
    label: labelText(s.label),
    condition: s.if,
    targets: s.notify,
    dueAt: s.after ? addDuration(roundStart, s.after, p.calendar) : null,
  }));
}

/** Whether a step's condition still holds for the incident. */
export function conditionHolds(
  c: SnapshotStep['if'],
  inc: { open: boolean; acknowledged: boolean },
): boolean {
  if (!inc.open) return false;
  if (c === 'unacknowledged') return !inc.acknowledged;
  return true;
}
