/**
 * Questions the incident engine asks of a plan. Pure and small, so every rule about what
 * applies when (which template, which cadence, which escalation) lives in one place.
 */
import type { Duration } from '../shared/duration.ts';
import type { Text } from '../shared/text.ts';
import { isDuration, roughMs } from './durations.ts';
import type { Obligation, Plan } from './regimes.ts';
import type { ChecklistItem } from './schema/checklists.ts';
import type { Audience, Template } from './schema/communications.ts';
import type { EscalationPath, EscalationStep } from './schema/escalation.ts';
import type { Phase } from './schema/phases.ts';
import type { AppliesTo } from './schema/primitives.ts';
import type { Role } from './schema/roles.ts';
import type { Runbook } from './schema/runbooks.ts';
import type { Severity } from './schema/severities.ts';
import type { IncidentType } from './schema/types.ts';

export function severity(plan: Plan, key: string): Severity | undefined {
  return plan.severities.find((s) => s.key === key);
}

export function incidentType(plan: Plan, key: string): IncidentType | undefined {
  return plan.incident_types.find((t) => t.key === key);
}

export function role(plan: Plan, key: string): Role | undefined {
  return plan.roles.find((r) => r.key === key);
}

export function commanderRole(plan: Plan): Role | undefined {
  return plan.roles.find((r) => r.commander);
}

export function phase(plan: Plan, key: string): Phase | undefined {
  return plan.phases.find((p) => p.key === key);
}

/** The phase after `key` in plan order; undefined after the last phase or for an unknown key. */
export function nextPhase(plan: Plan, key: string): Phase | undefined {
  const i = plan.phases.findIndex((p) => p.key === key);
  return i < 0 ? undefined : plan.phases[i + 1];
}

export function audience(plan: Plan, key: string): Audience | undefined {
  return plan.communications.audiences.find((a) => a.key === key);
}

export type Scope = { severity?: string; type?: string; service?: string; services?: readonly string[] };

/** Whether a rule narrowed by `applies_to` covers this incident; absent lists mean "all". */
export function applies(scope: AppliesTo | undefined, at: Scope): boolean {
  if (!scope) return true;
  if (scope.severities && (at.severity === undefined || !scope.severities.includes(at.severity)))
    return false;
  if (scope.types && (at.type === undefined || !scope.types.includes(at.type))) return false;
  if (scope.services) {
    const services = [...(at.services ?? []), ...(at.service ? [at.service] : [])];
    if (!services.some((s) => scope.services!.includes(s))) return false;
  }
  return true;
}

/** Templates for an audience that apply to this incident, in plan order. */
export function templatesFor(
  plan: Plan,
  audienceKey: string,
  at: { severity: string; type: string },
): Template[] {
  return plan.communications.templates.filter((t) => t.audience === audienceKey && applies(t.applies_to, at));
}

/** How often an audience is owed an update at a severity: the severity's own cadence wins. */
export function updateCadence(plan: Plan, severityKey: string, audienceKey: string): Duration | undefined {
  return (
    severity(plan, severityKey)?.update_every?.[audienceKey] ?? audience(plan, audienceKey)?.update_every
  );
}

/** When a phase should be complete, from detection, at a severity; undefined if no target applies. */
export function phaseTarget(plan: Plan, phaseKey: string, severityKey: string): Duration | undefined {
  const t = phase(plan, phaseKey)?.target;
  if (t === undefined) return undefined;
  return isDuration(t) ? t : t[severityKey];
}

/**
 * Obligations for an incident: those its type lists, plus those whose `applies_to` covers it.
 * An obligation with no `applies_to` that no type lists applies to every incident; one that a
 * type lists applies only through that list.
 */
export function obligationsFor(plan: Plan, typeKey: string, severityKey: string): Obligation[] {
  const listed = new Set(plan.incident_types.flatMap((t) => t.obligations ?? []));
  const mine = new Set(incidentType(plan, typeKey)?.obligations ?? []);
  return plan.obligations.filter((o) => {
    if (mine.has(o.key)) return true;
    if (o.applies_to) return applies(o.applies_to, { severity: severityKey, type: typeKey });
    return !listed.has(o.key);
  });
}

export type NormalisedItem = {
  text: Text;
  role?: string;
  due?: Duration;
  switch?: string;
  runbook?: string;
};

export function normaliseItem(item: ChecklistItem): NormalisedItem {
  if (typeof item === 'string' || !('text' in item)) return { text: item };
  return item;
}

export type ChecklistPart = {
  source: 'containment' | 'checklist';
  sourceKey: string;
  items: NormalisedItem[];
};

/** A type's containment steps, then each shared checklist it names, in order. */
export function checklistFor(plan: Plan, typeKey: string): ChecklistPart[] {
  const type = incidentType(plan, typeKey);
  if (!type) return [];
  const out: ChecklistPart[] = [];
  if (type.containment?.length) {
    out.push({ source: 'containment', sourceKey: type.key, items: type.containment.map(normaliseItem) });
  }
  for (const key of type.checklists ?? []) {
    const list = plan.checklists.find((c) => c.key === key);
    if (list) out.push({ source: 'checklist', sourceKey: key, items: list.items.map(normaliseItem) });
  }
  return out;
}

export type PhaseChecklist = {
  phase: string;
  source: 'phase' | 'checklist';
  sourceKey: string;
  items: NormalisedItem[];
};

/** Every phase's inline checklist and shared checklists, in phase order. */
export function phaseChecklists(plan: Plan): PhaseChecklist[] {
  const out: PhaseChecklist[] = [];
  for (const p of plan.phases) {
    if (p.checklist?.length)
      out.push({ phase: p.key, source: 'phase', sourceKey: p.key, items: p.checklist.map(normaliseItem) });
    for (const key of p.checklists ?? []) {
      const list = plan.checklists.find((c) => c.key === key);
      if (list)
        out.push({ phase: p.key, source: 'checklist', sourceKey: key, items: list.items.map(normaliseItem) });
    }
  }
  return out;
}

/** Runbooks the type names, then runbooks whose trigger names the type. */
export function runbooksFor(plan: Plan, typeKey: string): Runbook[] {
  const named = incidentType(plan, typeKey)?.runbooks ?? [];
  const out = named
    .map((k) => plan.runbooks.find((r) => r.key === k))
    .filter((r): r is Runbook => r !== undefined);
  for (const r of plan.runbooks) {
    if (r.trigger?.types?.includes(typeKey) && !out.includes(r)) out.push(r);
  }
  return out;
}

export type ResolvedEscalation = {
  /** Where the choice came from, for the incident room to explain it. */
  source: 'type' | 'service' | 'severity' | 'applies_to' | 'matrix';
  /** The path's key; absent for the matrix. */
  key?: string;
  label?: Text;
  repeat: number;
  steps: EscalationStep[];
};

/**
 * The escalation for an incident. The most specific rule wins: the type's path, then the
 * service's, then the severity's, then the first path whose applies_to covers the incident,
 * and last the matrix, read as timed steps for this severity.
 */
export function escalationFor(
  plan: Plan,
  at: { severity: string; type?: string; service?: string },
): ResolvedEscalation | undefined {
  const byKey = (key: string | undefined): EscalationPath | undefined =>
    key === undefined ? undefined : plan.escalation.paths.find((p) => p.key === key);
  const type = at.type === undefined ? undefined : incidentType(plan, at.type);
  const service = at.service === undefined ? undefined : plan.services.find((s) => s.key === at.service);
  const chosen: [ResolvedEscalation['source'], EscalationPath | undefined][] = [
    ['type', byKey(type?.escalation)],
    ['service', byKey(service?.escalation)],
    ['severity', byKey(severity(plan, at.severity)?.escalation)],
    [
      'applies_to',
      plan.escalation.paths.find((p) => p.applies_to !== undefined && applies(p.applies_to, at)),
    ],
  ];
  for (const [source, path] of chosen) {
    if (path) return { source, key: path.key, label: path.label, repeat: path.repeat, steps: path.steps };
  }
  const matrix = plan.escalation.matrix;
  if (!matrix) return undefined;
  const steps: EscalationStep[] = [];
  for (const row of matrix.rows) {
    const after = row.by_severity[at.severity];
    if (after === undefined || after === null || after === '-') continue;
    const step: EscalationStep = { after, if: matrix.if, notify: [row.target] };
    if (row.label !== undefined) step.label = row.label;
    steps.push(step);
  }
  steps.sort((a, b) => roughMs(a.after!) - roughMs(b.after!));
  if (steps.length === 0) return undefined;
  const resolved: ResolvedEscalation = { source: 'matrix', repeat: 0, steps };
  if (matrix.label !== undefined) resolved.label = matrix.label;
  return resolved;
}
