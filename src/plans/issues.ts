/**
 * Turns Zod issues into problems a plan author can act on: one per unknown key (with a
 * did-you-mean), unions resolved to the option the author evidently meant, and every message
 * saying what was expected and what was found.
 */
import type { z } from 'zod';
import type { DocPath, PathProblem } from './problems.ts';
import {
  accepts,
  bestOption,
  describeExpected,
  describeValue,
  enumValues,
  isDurationSchema,
  jsKind,
  objectKeys,
  type Schema,
  schemaAt,
  unionOptions,
} from './schema-walk.ts';
import { didYouMean, listForMessage } from './suggest.ts';

type Issue = z.core.$ZodIssue;

export function issuesToProblems(issues: readonly Issue[], schema: Schema, value: unknown): PathProblem[] {
  return issues.flatMap((issue) => convert(issue, [], schema, value));
}

function valueAt(root: unknown, path: DocPath): { found: boolean; value: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, seg))
      return { found: false, value: undefined };
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return { found: true, value: cur };
}

/**
 * `base` is where `schema` and `value` sit in the whole document; an issue's own path is
 * relative to them (they differ once inside a union option).
 */
function convert(issue: Issue, base: DocPath, schema: Schema, value: unknown): PathProblem[] {
  const rel = issue.path as (string | number)[];
  const path = [...base, ...rel];
  const here = valueAt(value, rel);
  const at = schemaAt(schema, rel, value);
  if (!here.found && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    const key = String(path[path.length - 1]);
    const expected = at ? `; expected ${describeExpected(at)}` : '';
    return [{ path, message: `required key "${key}" is missing${expected}` }];
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = at ? objectKeys(at) : [];
      return issue.keys.map((key) => ({
        path: [...path, key],
        at: 'key' as const,
        message: unknownKeyMessage(key, known),
      }));
    }
    case 'invalid_union':
      return resolveUnion(issue, path, at, here.value);
    case 'invalid_type': {
      const expected = at ? describeExpected(at) : issue.expected;
      return [
        {
          path,
          message: `expected ${expected}, got ${describeValue(here.value)}${quoteHint(at, here.value)}`,
        },
      ];
    }
    case 'invalid_value': {
      const values = at ? (enumValues(at) ?? issue.values.map(String)) : issue.values.map(String);
      const got = here.value;
      const hint = typeof got === 'string' ? didYouMean(got, values) : '';
      const expected =
        values.length === 1
          ? JSON.stringify(values[0])
          : `one of ${listForMessage(values.map((v) => JSON.stringify(v)))}`;
      return [{ path, message: withHint(`expected ${expected}, got ${describeValue(got)}`, hint) }];
    }
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const inner = issue.issues.map((i) => i.message).join('; ');
      return [{ path, at: 'key', message: `invalid key "${key}": ${inner}` }];
    }
    case 'too_small':
    case 'too_big': {
      const n = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const most = issue.code === 'too_small' ? 'at least' : 'at most';
      if (issue.origin === 'array') {
        return [{ path, message: `must list ${most} ${n} item${n === 1 ? '' : 's'}` }];
      }
      if (issue.origin === 'string' && issue.code === 'too_small' && n === 1) {
        return [{ path, message: 'must not be empty' }];
      }
      return [{ path, message: `${issue.message}, got ${describeValue(here.value)}` }];
    }
    case 'invalid_format': {
      const what = issue.format === 'email' ? 'expected an e-mail address' : issue.message;
      return [{ path, message: `${what}, got ${describeValue(here.value)}` }];
    }
    default: {
      const got =
        here.found && here.value !== null && typeof here.value !== 'object'
          ? `, got ${describeValue(here.value)}`
          : '';
      return [{ path, message: `${issue.message}${got}` }];
    }
  }
}

/** YAML reads `15` and `yes` as a number and a boolean; say how to write what was meant. */
function quoteHint(at: Schema | undefined, v: unknown): string {
  if (!at || (typeof v !== 'number' && typeof v !== 'boolean') || !accepts(at).has('string')) return '';
  if (isDurationSchema(at) && typeof v === 'number') return `; give a unit, e.g. "${v}m"`;
  return `; write it in quotes ("${v}") to make it text`;
}

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  if (hint !== '') return withHint(`unknown key "${key}"`, hint);
  return known.length > 0
    ? `unknown key "${key}"; known keys here: ${listForMessage(known)}`
    : `unknown key "${key}"`;
}

/** Appends a did-you-mean (which starts with a space) after a semicolon. */
export function withHint(message: string, hint: string): string {
  return hint === '' ? message : `${message};${hint}`;
}

/** A branch that failed only because the value is of another type altogether. */
function isTypeMismatch(branch: readonly Issue[]): boolean {
  return branch.every(
    (i) =>
      i.path.length === 0 &&
      (i.code === 'invalid_type' || (i.code === 'invalid_union' && i.errors.every((b) => isTypeMismatch(b)))),
  );
}

function unknownKeyCount(branch: readonly Issue[]): number {
  return branch.reduce(
    (n, i) => n + (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys.length : 0),
    0,
  );
}

function resolveUnion(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: DocPath,
  schema: Schema | undefined,
  value: unknown,
): PathProblem[] {
  const options = schema ? unionOptions(schema) : [];
  const branches = issue.errors.map((b, i) => ({ issues: b, option: options[i] }));
  const candidates = branches.filter((b) => !isTypeMismatch(b.issues));
  const expected = schema ? describeExpected(schema) : 'another kind of value';
  if (candidates.length === 0) {
    return [{ path, message: `expected ${expected}, got ${describeValue(value)}` }];
  }
  if (jsKind(value) === 'object') {
    const keys = Object.keys(value as object);
    if (keys.length === 0 && candidates.length > 1) {
      return [{ path, message: `expected ${expected}, got an empty mapping` }];
    }
    const fewest = Math.min(...candidates.map((b) => unknownKeyCount(b.issues)));
    if (keys.length > 0 && fewest >= keys.length) {
      // None of the options knows any key written here: name the keys that would do.
      const known = schema ? objectKeys(schema) : [];
      return keys.map((key) => ({
        path: [...path, key],
        at: 'key' as const,
        message: `${unknownKeyMessage(key, known)} (expected ${expected})`,
      }));
    }
    const best = candidates.find((b) => unknownKeyCount(b.issues) === fewest)!;
    const option = best.option ?? (schema ? bestOption(schema, value) : undefined);
    return option ? best.issues.flatMap((i) => convert(i, path, option, value)) : plain(best.issues, path);
  }
  if (candidates.length === 1) {
    const only = candidates[0]!;
    return only.option
      ? only.issues.flatMap((i) => convert(i, path, only.option!, value))
      : plain(only.issues, path);
  }
  // Several options take this kind of value (a duration or "-"): say all of them.
  const fitting = candidates
    .map((b) => b.option)
    .filter((o): o is Schema => o !== undefined && accepts(o).has(jsKind(value)));
  const what = fitting.length > 0 ? [...new Set(fitting.map(describeExpected))].join(', or ') : expected;
  return [{ path, message: `expected ${what}, got ${describeValue(value)}` }];
}

function plain(issues: readonly Issue[], path: DocPath): PathProblem[] {
  return issues.map((i) => ({ path: [...path, ...(i.path as (string | number)[])], message: i.message }));
}
