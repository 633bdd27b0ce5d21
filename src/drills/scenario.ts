/**
 * Reads a drill scenario file with the plan file's machinery: YAML syntax, duplicate keys and
 * shape problems (unknown keys with a did-you-mean) at line:column with their path, then the
 * order of steps and, given the plan, every key the scenario names.
 */
import { STATUSES } from '../incidents/tables.ts';
import { issuesToProblems } from '../plans/issues.ts';
import { type PathProblem, type PlanProblem, sortProblems } from '../plans/problems.ts';
import type { Plan } from '../plans/regimes.ts';
import { didYouMean } from '../plans/suggest.ts';
import { readYaml, toPlanProblem } from '../plans/yaml-source.ts';
import { actionOf, SCENARIO_FORMAT, type Scenario, ScenarioSchema } from './scenario-schema.ts';

export type ParsedScenario = { ok: true; scenario: Scenario } | { ok: false; problems: PlanProblem[] };

export function parseScenario(source: string, opts: { plan?: Plan } = {}): ParsedScenario {
  const src = readYaml(source);
  const located = (ps: readonly PathProblem[]) => ps.map((p) => toPlanProblem(src, p));
  const fail = (ps: PlanProblem[]): ParsedScenario => ({ ok: false, problems: sortProblems(ps) });
  if (src.doc.errors.length > 0) return fail([...src.syntax, ...located(src.duplicates)]);
  let value: unknown;
  try {
    value = src.doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return fail([
      ...src.syntax,
      { path: '', line: 1, column: 1, message: `YAML error: ${(e as Error).message}` },
    ]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail([
      ...src.syntax,
      {
        path: '',
        line: 1,
        column: 1,
        message: `expected a mapping starting with "siaga: ${SCENARIO_FORMAT}", then plan, title, type, severity and steps`,
      },
    ]);
  }
  const found: PathProblem[] = [...src.duplicates];
  const shape = ScenarioSchema.safeParse(value);
  if (!shape.success) {
    found.push(...issuesToProblems(shape.error.issues, ScenarioSchema, value));
    return fail([...src.syntax, ...located(found)]);
  }
  found.push(...checkOrder(shape.data));
  if (opts.plan) found.push(...checkAgainstPlan(shape.data, opts.plan));
  const problems = [...src.syntax, ...located(found)];
  return problems.length > 0 ? fail(problems) : { ok: true, scenario: shape.data };
}

/** Steps in time order, one declare, and nothing done to the incident before it exists. */
export function checkOrder(s: Scenario): PathProblem[] {
  const out: PathProblem[] = [];
  let declared = -1;
  s.steps.forEach((step, i) => {
    const prev = s.steps[i - 1];
    if (prev && step.at < prev.at)
      out.push({
        path: ['steps', i, 'at'],
        message: 'steps run in time order: this offset is before the previous step',
      });
    const action = actionOf(step);
    if (action === 'declare') {
      if (declared >= 0)
        out.push({
          path: ['steps', i, 'declare'],
          at: 'key',
          message: `the incident is already declared at steps[${declared}]`,
        });
      else declared = i;
    } else if (action !== 'alert' && declared < 0) {
      out.push({
        path: ['steps', i, action],
        at: 'key',
        message: `"${action}" needs the incident: declare it in an earlier step`,
      });
    }
    if (action === 'alert' && step.expect)
      out.push({
        path: ['steps', i, 'expect'],
        at: 'key',
        message: 'an alert step has no incident to check',
      });
  });
  if (declared < 0)
    out.push({
      path: ['steps'],
      message: 'no step declares the drill incident (add "- at: 0s\n  declare: {}")',
    });
  return out;
}

const keys = (xs: readonly { key: string }[]) => xs.map((x) => x.key);

function unknown(path: (string | number)[], what: string, value: string, known: string[]): PathProblem[] {
  if (known.includes(value)) return [];
  return [
    {
      path,
      message: `unknown ${what} "${value}" in the plan;${didYouMean(value, known) || ` known: ${known.join(', ')}`}`,
    },
  ];
}

/** Every key the scenario names must be the plan's, or the drill would fail at that step. */
export function checkAgainstPlan(s: Scenario, plan: Plan): PathProblem[] {
  const out: PathProblem[] = [];
  if (s.plan !== plan.key)
    out.push({ path: ['plan'], message: `the scenario is for plan "${s.plan}", not "${plan.key}"` });
  out.push(...unknown(['type'], 'incident type', s.type, keys(plan.incident_types)));
  const severities = keys(plan.severities);
  out.push(...unknown(['severity'], 'severity', s.severity, severities));
  if (s.drill !== undefined) out.push(...unknown(['drill'], 'drill', s.drill, keys(plan.drills)));
  const audiences = keys(plan.communications.audiences);
  s.steps.forEach((step, i) => {
    const at = (...p: (string | number)[]) => ['steps', i, ...p];
    if (step.assign) out.push(...unknown(at('assign', 'role'), 'role', step.assign.role, keys(plan.roles)));
    if (typeof step.phase === 'string')
      out.push(...unknown(at('phase'), 'phase', step.phase, keys(plan.phases)));
    if (step.severity) out.push(...unknown(at('severity', 'to'), 'severity', step.severity.to, severities));
    if (step.status) out.push(...unknown(at('status', 'to'), 'status', step.status.to, [...STATUSES]));
    if (step.update) {
      const u = step.update;
      out.push(...unknown(at('update', 'audience'), 'audience', u.audience, audiences));
      const templates = plan.communications.templates.filter((t) => t.audience === u.audience);
      if (u.template !== undefined)
        out.push(
          ...unknown(at('update', 'template'), `template for "${u.audience}"`, u.template, keys(templates)),
        );
      if (
        u.template === undefined &&
        !templates.length &&
        u.body === undefined &&
        audiences.includes(u.audience)
      )
        out.push({
          path: at('update'),
          message: `the plan has no template for audience "${u.audience}": give a body`,
        });
      const template =
        templates.find((t) => t.key === u.template) ?? (u.template === undefined ? templates[0] : undefined);
      const fields = (template?.fields ?? []).map((f) => f.key);
      for (const k of Object.keys(u.fields ?? {})) {
        if (template && !fields.includes(k))
          out.push({
            path: at('update', 'fields', k),
            at: 'key',
            message: `template "${template.key}" has no field "${k}";${didYouMean(k, fields) || ` its fields: ${fields.join(', ') || 'none'}`}`,
          });
      }
    }
    (step.expect ?? []).forEach((e, j) => {
      if (e.severity !== undefined)
        out.push(...unknown(at('expect', j, 'severity'), 'severity', e.severity, severities));
      if (e.status !== undefined)
        out.push(...unknown(at('expect', j, 'status'), 'status', e.status, [...STATUSES]));
    });
  });
  return out;
}
