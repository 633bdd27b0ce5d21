import type { Matcher } from '../plans/index.ts';
import { sha256Hex } from '../shared/ids.ts';

const compiled = new Map<string, RegExp>();

/** Anchored, as Alertmanager's matchers are: "api|web" means exactly api or web. */
function regex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

export function matchOne(m: Matcher, value: string | undefined): boolean {
  if (typeof m === 'string') return value === m;
  if ('equals' in m) return value === m.equals;
  if ('not_equals' in m) return value !== m.not_equals;
  if ('regex' in m) return value !== undefined && regex(m.regex).test(value);
  if ('not_regex' in m) return value === undefined || !regex(m.not_regex).test(value);
  return m.present ? value !== undefined && value !== '' : value === undefined || value === '';
}

/** Every matcher holds on the alert's fields (labels first, then source and title). */
export function matchesAll(match: Record<string, Matcher>, fields: Record<string, string>): boolean {
  for (const [name, m] of Object.entries(match)) if (!matchOne(m, fields[name])) return false;
  return true;
}

/**
 * Alertmanager identifies an alert by its label set; so does Siaga, whatever path it came by.
 * The hash is of the labels' canonical JSON (`canonicalJson`). A label set is flat strings, so
 * `JSON.stringify` with the sorted keys as its replacer writes the same text natively: keys in
 * that order, no whitespace. It runs for every alert of every post, and the generic encoder
 * took a fifth of a storm's CPU.
 */
export function labelFingerprint(labels: Record<string, string>): string {
  return sha256Hex(JSON.stringify(labels, Object.keys(labels).sort())).slice(0, 32);
}
