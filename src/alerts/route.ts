import type { Plan, Route, Routing } from '../plans/index.ts';
import { matchesAll } from './match.ts';

export type RouteDecision = {
  rule: Route;
  ruleKey: string;
  action: Route['action'];
  severity?: string;
  type?: string;
  service?: string;
  groupKey: string;
};

/** Fields a rule can match: the alert's labels, then where it came from and what it says. */
export function fieldsOf(a: { labels: Record<string, string>; source: string; title: string }): Record<string, string> {
  return { source: a.source, title: a.title, ...a.labels };
}

/** First rule whose matchers all hold; none means the alert is kept but changes nothing. */
export function decide(
  plan: Plan,
  a: { labels: Record<string, string>; source: string; title: string; fingerprint: string },
): RouteDecision | null {
  const fields = fieldsOf(a);
  const index = plan.routing.rules.findIndex((r) => matchesAll(r.match, fields));
  if (index < 0) return null;
  const rule = plan.routing.rules[index]!;
  const ruleKey = rule.key ?? `rule${index}`;
  let severity = rule.severity;
  if (rule.severity_from) {
    const v = a.labels[rule.severity_from.label];
    severity = (v !== undefined ? rule.severity_from.map[v] : undefined) ?? rule.severity_from.default ?? severity;
  }
  const groupKey = rule.group_by
    ? `${ruleKey}|${rule.group_by.map((l) => `${l}=${a.labels[l] ?? ''}`).join(',')}`
    : `${ruleKey}|fp=${a.fingerprint}`;
  return { rule, ruleKey, action: rule.action, severity, type: rule.type, service: rule.service, groupKey };
}

/**
 * Flap detection: the instants the alert changed between firing and resolved, kept within the
 * plan's window. Pure, so a property test can run it over arbitrary histories.
 */
export function recordFlip(
  flips: readonly string[],
  now: Date,
  routing: Pick<Routing, 'flapping'>,
): { flips: string[]; flapping: boolean } {
  const f = routing.flapping;
  if (!f) return { flips: [], flapping: false };
  const since = now.getTime() - f.window.ms;
  const kept = flips.filter((t) => Date.parse(t) > since);
  kept.push(now.toISOString());
  const bounded = kept.slice(-Math.max(f.flips, 2) * 2);
  return { flips: bounded, flapping: bounded.length >= f.flips };
}

/** Whether the flips still inside the window make the alert flapping now (flapping ends quietly). */
export function stillFlapping(flips: readonly string[], now: Date, routing: Pick<Routing, 'flapping'>): boolean {
  const f = routing.flapping;
  if (!f) return false;
  const since = now.getTime() - f.window.ms;
  return flips.filter((t) => Date.parse(t) > since).length >= f.flips;
}
