import type { Plan, Route, Target } from '../plans/index.ts';
import { matchesAll } from './match.ts';

/** What the router sees of an alert: its labels, plus a few fields rules may match on too. */
export type Routable = {
  labels: Record<string, string>;
  fields: { source: string; status: string; title: string; integration?: string };
};

export type Decision = {
  ruleKey: string | null;
  action: Route['action'];
  service: string | null;
  type: string;
  severity: string | null;
  groupKey: string;
  groupWindowMs: number | null;
  notify: Target[];
};

function fieldsOf(a: Routable): Record<string, string> {
  const f: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.fields)) if (v !== undefined) f[k] = v;
  return { ...f, ...a.labels };
}

/**
 * The first matching rule decides; with no rule matching, an alert still opens an incident of
 * the plan's first type, because an alert nobody routed is exactly the one that gets missed.
 */
export function decide(plan: Plan, a: Routable): Decision {
  const fields = fieldsOf(a);
  const rule = plan.routing.rules.find((r) => matchesAll(r.match, fields));
  const type = rule?.type ?? plan.incident_types[0]!.key;
  let severity = rule?.severity ?? null;
  if (!severity && rule?.severity_from) {
    const v = fields[rule.severity_from.label];
    severity =
      (v !== undefined ? rule.severity_from.map[v] : undefined) ?? rule.severity_from.default ?? null;
  }
  const groupBy = rule?.group_by;
  // Without group_by every alert is its own group: one incident per fingerprint.
  const groupKey = groupBy
    ? `${rule?.key ?? 'rule'}|${groupBy.map((l) => `${l}=${fields[l] ?? ''}`).join(',')}`
    : '';
  return {
    ruleKey: rule?.key ?? null,
    action: rule?.action ?? 'open',
    service: rule?.service ?? null,
    type,
    severity,
    groupKey,
    groupWindowMs: rule?.group_window?.ms ?? null,
    notify: rule?.notify ?? [],
  };
}
