import type { Matcher } from '../plans/index.ts';
import { canonicalJson } from '../shared/canonical.ts';
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

/** Alertmanager identifies an alert by its label set; so does Siaga, whatever path it came by. */
export function labelFingerprint(labels: Record<string, string>): string {
  return sha256Hex(canonicalJson(labels)).slice(0, 32);
}
