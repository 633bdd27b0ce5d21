/**
 * Reads a plan file and reports every problem in it at once, each at the line and column a
 * person has to change: YAML syntax, duplicate keys, shape (unknown keys with a did-you-mean,
 * wrong values), unresolved obligations and broken references.
 */
import { visit } from 'yaml';
import { issuesToProblems } from './issues.ts';
import { formatProblems, type PathProblem, type PlanProblem, sortProblems } from './problems.ts';
import { type AlsoKnown, checkReferences } from './references.ts';
import { type Plan, resolveObligations } from './regimes.ts';
import { salvage } from './salvage.ts';
import { PLAN_FORMAT, type PlanDocument, PlanSchema } from './schema/plan.ts';
import { describeValue, jsKind } from './schema-walk.ts';
import { readYaml, toPlanProblem, type YamlSource } from './yaml-source.ts';

export type ParsedPlan = { ok: true; plan: Plan; problems: [] } | { ok: false; problems: PlanProblem[] };

export function parsePlan(source: string, opts: { filename?: string } = {}): ParsedPlan {
  const src = readYaml(source);
  const fail = (found: PlanProblem[]): ParsedPlan => ({ ok: false, problems: dedupe(sortProblems(found)) });
  const located = (ps: readonly PathProblem[]) => ps.map((p) => toPlanProblem(src, p));

  if (src.doc.errors.length > 0) {
    // Past a syntax error the parsed content is a guess; shape problems on it would mislead.
    return fail([...src.syntax, ...located(src.duplicates)]);
  }
  let value: unknown;
  try {
    value = src.doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return fail([...src.syntax, unreadable(src, e as Error)]);
  }
  const top = topLevel(src, value, opts.filename ?? 'the plan file');
  if (top) return fail([...src.syntax, top]);
  const raw = value as Record<string, unknown>;

  const version = checkVersion(raw);
  if (version && raw.siaga !== undefined) return fail([...src.syntax, ...located([version])]);

  const shape = PlanSchema.safeParse(raw);
  let doc: PlanDocument;
  let alsoKnown: AlsoKnown = {};
  const found: PathProblem[] = [...src.duplicates];
  if (version) found.push(version);
  if (shape.success) {
    doc = shape.data;
  } else {
    const issues = shape.error.issues.filter((i) => !(i.path.length === 1 && i.path[0] === 'siaga'));
    found.push(...issuesToProblems(issues, PlanSchema, raw));
    ({ plan: doc, alsoKnown } = salvage(raw));
  }

  const resolved = resolveObligations(doc.obligations);
  found.push(...resolved.problems);
  const plan: Plan = { ...doc, obligations: resolved.obligations as Plan['obligations'] };
  found.push(...checkReferences(plan, alsoKnown));

  const problems = [...src.syntax, ...located(found)];
  if (problems.length > 0) return fail(problems);
  return { ok: true, plan, problems: [] };
}

/** An empty file or a list at the top is not a plan: say so rather than list every missing section. */
function topLevel(src: YamlSource, value: unknown, filename: string): PlanProblem | undefined {
  const contents = src.doc.contents;
  if (contents === null) {
    return {
      path: '',
      line: 1,
      column: 1,
      message: `${filename} is empty: a plan starts with "siaga: ${PLAN_FORMAT}", then key, name, severities and incident_types`,
    };
  }
  if (jsKind(value) === 'object') return undefined;
  const { line, col } = src.lines.linePos(contents.range?.[0] ?? 0);
  const found = jsKind(value) === 'array' ? 'a list' : describeValue(value);
  return {
    path: '',
    line,
    column: col,
    message: `expected a mapping of plan sections at the top level (siaga:, key:, name:, severities:, …), found ${found}`,
  };
}

/** Content YAML parsed but cannot turn into data: an alias to a missing anchor, too many aliases. */
function unreadable(src: YamlSource, e: Error): PlanProblem {
  let offset = 0;
  visit(src.doc, {
    Alias(_, node) {
      if (node.resolve(src.doc) === undefined && node.range) {
        offset = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  const { line, col } = src.lines.linePos(offset);
  return { path: '', line, column: col, message: `YAML error: ${e.message}` };
}

function checkVersion(raw: Record<string, unknown>): PathProblem | undefined {
  const v = raw.siaga;
  if (v === PLAN_FORMAT) return undefined;
  if (v === undefined) {
    return { path: [], message: `missing format version: add "siaga: ${PLAN_FORMAT}" as the first line` };
  }
  const shown = describeValue(v);
  return {
    path: ['siaga'],
    message: `unsupported format version ${shown}: this Siaga reads "${PLAN_FORMAT}" (write "siaga: ${PLAN_FORMAT}")`,
  };
}

function dedupe(problems: PlanProblem[]): PlanProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.line}:${p.column}:${p.path}:${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** For callers that want the exception style (scripts, tests of examples). */
export function parsePlanOrThrow(source: string, filename = 'plan.yaml'): Plan {
  const r = parsePlan(source, { filename });
  if (r.ok) return r.plan;
  throw new Error(formatProblems(r.problems, filename).join('\n'));
}
