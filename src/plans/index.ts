/** The plans module's public API: read a plan file, ask it questions, render it back. */
export type { Duration } from '../shared/duration.ts';
export type { Language, Text } from '../shared/text.ts';
export { pick } from '../shared/text.ts';
export { planJsonSchema } from './json-schema.ts';
export {
  applies,
  audience,
  type ChecklistPart,
  checklistFor,
  commanderRole,
  escalationFor,
  incidentType,
  type NormalisedItem,
  nextPhase,
  normaliseItem,
  obligationsFor,
  type PhaseChecklist,
  phase,
  phaseChecklists,
  phaseTarget,
  type ResolvedEscalation,
  role,
  runbooksFor,
  type Scope,
  severity,
  templatesFor,
  updateCadence,
} from './lookup.ts';
export { type ParsedPlan, parsePlan, parsePlanOrThrow } from './parse.ts';
export {
  CATALOGUE,
  type CatalogueEntry,
  extractPlaceholders,
  isKnownPlaceholder,
  malformedPlaceholders,
  type Rendered,
  renderTemplate,
} from './placeholders.ts';
export { formatProblems, type PlanProblem } from './problems.ts';
export { type Obligation, type ObligationStart, type Plan, REGIMES, type Regime, regime } from './regimes.ts';
export { renderPlanMarkdown } from './render.ts';
export type { Checklist, ChecklistItem } from './schema/checklists.ts';
export type { Audience, Channel, Template, TemplateField } from './schema/communications.ts';
export type { EscalationMatrixRow, EscalationPath, EscalationStep } from './schema/escalation.ts';
export type { Contact, Drill, Routine, Service, Switch } from './schema/operations.ts';
export type { Phase } from './schema/phases.ts';
export { PLAN_FORMAT, type PlanDocument, PlanSchema } from './schema/plan.ts';
export type { Postmortem, PostmortemSection } from './schema/postmortem.ts';
export type { AppliesTo, Matcher, Target } from './schema/primitives.ts';
export type { Role } from './schema/roles.ts';
export type { Route, Routing } from './schema/routing.ts';
export type { Runbook, RunbookStep } from './schema/runbooks.ts';
export type { Severity } from './schema/severities.ts';
export type { IncidentType } from './schema/types.ts';
