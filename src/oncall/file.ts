/**
 * Reads an on-call file the way the plan is read: every problem at once, each with its line
 * and column. Shape first, then cross-references (a team's schedule, a duplicate key).
 */
import { issuesToProblems } from '../plans/issues.ts';
import type { PathProblem, PlanProblem } from '../plans/problems.ts';
import { sortProblems } from '../plans/problems.ts';
import { unknownMessage } from '../plans/suggest.ts';
import { readYaml, toPlanProblem } from '../plans/yaml-source.ts';
import { type OnCallFile, OnCallFileSchema } from './file-schema.ts';

export type ParsedOnCall =
  | { ok: true; file: OnCallFile; locate: (p: PathProblem) => PlanProblem }
  | { ok: false; problems: PlanProblem[] };

export function parseOnCallFile(source: string): ParsedOnCall {
  const src = readYaml(source);
  const locate = (p: PathProblem) => toPlanProblem(src, p);
  if (src.doc.errors.length > 0)
    return { ok: false, problems: [...src.syntax, ...src.duplicates.map(locate)] };
  let raw: unknown;
  try {
    raw = src.doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return {
      ok: false,
      problems: [{ path: '', line: 1, column: 1, message: `YAML error: ${(e as Error).message}` }],
    };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [
        {
          path: '',
          line: 1,
          column: 1,
          message: 'expected a mapping: siaga_oncall, teams, schedules, roles, contacts, policies',
        },
      ],
    };
  }
  const found: PathProblem[] = [...src.duplicates];
  const shape = OnCallFileSchema.safeParse(raw);
  if (!shape.success) {
    found.push(...issuesToProblems(shape.error.issues, OnCallFileSchema, raw));
    return { ok: false, problems: sortProblems([...src.syntax, ...found.map(locate)]) };
  }
  found.push(...crossCheck(shape.data));
  const problems = [...src.syntax, ...found.map(locate)];
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, file: shape.data, locate };
}

function duplicates(list: { key: string }[], section: string): PathProblem[] {
  const seen = new Set<string>();
  const out: PathProblem[] = [];
  list.forEach((item, i) => {
    if (seen.has(item.key))
      out.push({ path: [section, i, 'key'], message: `duplicate ${section} key "${item.key}"` });
    seen.add(item.key);
  });
  return out;
}

function crossCheck(f: OnCallFile): PathProblem[] {
  const out = [
    ...duplicates(f.teams, 'teams'),
    ...duplicates(f.schedules, 'schedules'),
    ...duplicates(f.policies, 'policies'),
  ];
  const schedules = f.schedules.map((s) => s.key);
  const teams = f.teams.map((t) => t.key);
  const checkTarget = (t: Record<string, string>, path: (string | number)[]) => {
    if ('schedule' in t && !schedules.includes(t.schedule!))
      out.push({ path: [...path, 'schedule'], message: unknownMessage('schedule', t.schedule!, schedules) });
    if ('team' in t && !teams.includes(t.team!))
      out.push({ path: [...path, 'team'], message: unknownMessage('team', t.team!, teams) });
  };
  f.teams.forEach((t, i) => {
    if (t.schedule !== undefined && !schedules.includes(t.schedule))
      out.push({
        path: ['teams', i, 'schedule'],
        message: unknownMessage('schedule', t.schedule, schedules),
      });
  });
  for (const [k, t] of Object.entries(f.roles)) checkTarget(t, ['roles', k]);
  for (const [k, t] of Object.entries(f.contacts)) checkTarget(t, ['contacts', k]);
  f.policies.forEach((p, i) => {
    p.steps.forEach((s, j) => {
      s.notify.forEach((t, k) => {
        checkTarget(t as Record<string, string>, ['policies', i, 'steps', j, 'notify', k]);
      });
    });
  });
  return out;
}
