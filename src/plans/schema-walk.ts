/**
 * Reads the plan's Zod schema as data, so problems can say what a place in the file expects
 * (the keys an object knows, "a duration like …") without a second description of the format
 * that could drift from the one that validates.
 */
import type { z } from 'zod';
import { DURATION_HINT } from '../shared/duration.ts';
import {
  DurationSchema,
  IsoDateSchema,
  KeySchema,
  MatcherSchema,
  TargetSchema,
  TextSchema,
} from './schema/primitives.ts';

export type Schema = z.core.$ZodType;

type Def = {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  values?: unknown[];
  entries?: Record<string, unknown>;
};

function def(s: Schema): Def {
  return s._zod.def as unknown as Def;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** The schema that reads the input, past optional/default wrappers and into a pipe's input side. */
export function unwrap(s: Schema): Schema {
  let cur = s;
  for (;;) {
    const d = def(cur);
    if (WRAPPERS.has(d.type) && d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in && !isSame(cur, DurationSchema)) cur = d.in;
    else return cur;
  }
}

/** Same schema, including copies made by `.meta()` (which share the definition). */
function isSame(a: Schema, b: Schema): boolean {
  return a === b || a._zod.def === b._zod.def;
}

export function isDurationSchema(s: Schema): boolean {
  return isSame(unwrap(s), DurationSchema);
}

export function kind(s: Schema): string {
  return def(unwrap(s)).type;
}

export function unionOptions(s: Schema): Schema[] {
  const d = def(unwrap(s));
  return d.type === 'union' ? (d.options ?? []) : [];
}

/** Keys an object schema accepts; for a union, the keys of every object option. */
export function objectKeys(s: Schema): string[] {
  const d = def(unwrap(s));
  if (d.type === 'object') return Object.keys(d.shape ?? {});
  if (d.type === 'union') return [...new Set((d.options ?? []).flatMap(objectKeys))];
  return [];
}

/** The JavaScript kinds a schema can accept at all, to tell a wrong type from a wrong value. */
export function accepts(s: Schema): Set<string> {
  const u = unwrap(s);
  if (isSame(u, DurationSchema)) return new Set(['string']);
  const d = def(u);
  switch (d.type) {
    case 'string':
    case 'enum':
      return new Set(['string']);
    case 'literal':
      return new Set((d.values ?? []).map(jsKind));
    case 'object':
    case 'record':
      return new Set(['object']);
    case 'array':
      return new Set(['array']);
    case 'union':
      return new Set((d.options ?? []).flatMap((o) => [...accepts(o)]));
    default:
      return new Set([d.type]);
  }
}

export function jsKind(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** The schema found under `seg` of `s`, choosing a union's option by the value actually there. */
export function child(s: Schema, seg: string | number, value: unknown): Schema | undefined {
  const u = unwrap(s);
  const d = def(u);
  switch (d.type) {
    case 'object':
      return typeof seg === 'string' ? d.shape?.[seg] : undefined;
    case 'array':
      return d.element;
    case 'record':
      return d.valueType;
    case 'union': {
      const option = bestOption(u, value);
      return option ? child(option, seg, value) : undefined;
    }
    default:
      return undefined;
  }
}

/** Of a union's options, the one this value most looks like: right type, most keys in common. */
export function bestOption(s: Schema, value: unknown): Schema | undefined {
  const options = unionOptions(s).filter((o) => accepts(o).has(jsKind(value)));
  if (options.length <= 1 || jsKind(value) !== 'object') return options[0];
  const keys = Object.keys(value as object);
  let best = options[0];
  let bestScore = -1;
  for (const o of options) {
    const known =
      kind(o) === 'record' ? keys.length - 0.5 : keys.filter((k) => objectKeys(o).includes(k)).length;
    if (known > bestScore) {
      best = o;
      bestScore = known;
    }
  }
  return best;
}

export function schemaAt(
  root: Schema,
  path: readonly (string | number)[],
  rootValue: unknown,
): Schema | undefined {
  let s: Schema | undefined = root;
  let v: unknown = rootValue;
  for (const seg of path) {
    if (!s) return undefined;
    s = child(s, seg, v);
    v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  }
  return s;
}

/** What a place in the plan expects, in words a plan author knows. */
export function describeExpected(s: Schema): string {
  const u = unwrap(s);
  if (isSame(u, DurationSchema)) return DURATION_HINT.replace(/^expected /, '');
  if (isSame(u, TextSchema)) return 'text (a string, or { en: …, id: … })';
  if (isSame(u, KeySchema)) return 'a key (letters, digits, "_", "-", ".")';
  if (isSame(u, IsoDateSchema)) return 'a date like "2026-03-31"';
  if (isSame(u, TargetSchema))
    return `a target: one of ${objectKeys(u)
      .map((k) => `{ ${k}: … }`)
      .join(', ')}`;
  if (isSame(u, MatcherSchema))
    return 'a matcher: a string, or { equals | not_equals | regex | not_regex | present: … }';
  const d = def(u);
  switch (d.type) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'null':
      return 'nothing (null)';
    case 'enum':
      return `one of ${quoteAll(Object.values(d.entries ?? {}))}`;
    case 'literal':
      return quoteAll(d.values ?? []);
    case 'union':
      return [...new Set((d.options ?? []).map(describeExpected))].join(', or ');
    default:
      return d.type;
  }
}

export function enumValues(s: Schema): string[] | undefined {
  const d = def(unwrap(s));
  if (d.type === 'enum') return Object.values(d.entries ?? {}).map(String);
  if (d.type === 'literal') return (d.values ?? []).map(String);
  return undefined;
}

function quoteAll(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** A value as a message shows it: `"15 min"`, `the number 15`, `a list`. */
export function describeValue(v: unknown): string {
  switch (jsKind(v)) {
    case 'string': {
      const s = v as string;
      return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}…` : s);
    }
    case 'number':
      return `the number ${v}`;
    case 'boolean':
      return String(v);
    case 'null':
      return 'nothing';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    default:
      return String(v);
  }
}
