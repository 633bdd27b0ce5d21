/**
 * Checks that need the whole plan: every key a rule refers to exists, keys are unique, clocks
 * are ordered, regexes compile. Runs after the shape is valid (or on the valid parts of a file
 * that is not), so each problem can name its own path.
 */
import { isValidTimeZone } from '../shared/zoned.ts';
import { isDuration } from './durations.ts';
import type { DocPath, PathProblem } from './problems.ts';
import { type AlsoKnown, Checker, entries, KINDS, type Kind, LIST_PATHS, listsOf } from './ref-index.ts';
import { checkCommunications } from './references-comms.ts';
import { checkOrdering } from './references-order.ts';
import { type Plan, regime } from './regimes.ts';
import type { ChecklistItem } from './schema/checklists.ts';
import type { Matcher } from './schema/primitives.ts';

export type { AlsoKnown } from './ref-index.ts';

export function checkReferences(plan: Plan, alsoKnown: AlsoKnown = {}): PathProblem[] {
  const c = new Checker(plan, alsoKnown);
  uniqueKeys(c, plan);
  severities(c, plan);
  roles(c, plan);
  types(c, plan);
  phasesAndChecklists(c, plan);
  escalation(c, plan);
  checkCommunications(c, plan);
  obligations(c, plan);
  runbooksAndSwitches(c, plan);
  operations(c, plan);
  routing(c, plan);
  checkOrdering(c, plan);
  return c.problems;
}

function uniqueKeys(c: Checker, plan: Plan): void {
  const lists = listsOf(plan);
  for (const kind of Object.keys(KINDS) as Kind[]) {
    const first = new Map<string, number>();
    for (const [i, item] of entries(lists[kind])) {
      const seen = first.get(item.key);
      const path = [...LIST_PATHS[kind], i, 'key'];
      if (seen === undefined) first.set(item.key, i);
      else
        c.add(
          path,
          `duplicate key "${item.key}": ${KINDS[kind]}[${seen}] already uses it; keys must be unique`,
        );
    }
  }
}

function checklistItems(c: Checker, items: readonly ChecklistItem[] | undefined, path: DocPath): void {
  items?.forEach((item, i) => {
    if (typeof item === 'string' || !('text' in item)) return;
    const p = [...path, i];
    c.ref('role', item.role, [...p, 'role']);
    c.ref('switch', item.switch, [...p, 'switch']);
    c.ref('runbook', item.runbook, [...p, 'runbook']);
  });
}

function severities(c: Checker, plan: Plan): void {
  for (const [i, s] of entries(plan.severities)) {
    const p = ['severities', i];
    for (const audience of Object.keys(s.update_every ?? {}))
      c.ref('audience', audience, [...p, 'update_every', audience], 'key');
    c.ref('path', s.escalation, [...p, 'escalation']);
  }
}

function roles(c: Checker, plan: Plan): void {
  const commanders = [...entries(plan.roles)].filter(([, r]) => r.commander);
  for (const [i, r] of commanders.slice(1)) {
    c.add(
      ['roles', i, 'commander'],
      `only one role can be the commander; "${commanders[0]![1].key}" already is, so "${r.key}" cannot be`,
    );
  }
}

function types(c: Checker, plan: Plan): void {
  for (const [i, t] of entries(plan.incident_types)) {
    const p = ['incident_types', i];
    c.ref('severity', t.default_severity, [...p, 'default_severity']);
    c.refs('checklist', t.checklists, [...p, 'checklists']);
    c.refs('obligation', t.obligations, [...p, 'obligations']);
    c.refs('role', t.roles, [...p, 'roles']);
    c.refs('runbook', t.runbooks, [...p, 'runbooks']);
    c.ref('path', t.escalation, [...p, 'escalation']);
    checklistItems(c, t.containment, [...p, 'containment']);
  }
}

function phasesAndChecklists(c: Checker, plan: Plan): void {
  for (const [i, ph] of entries(plan.phases)) {
    const p = ['phases', i];
    const t = ph.target;
    if (t !== undefined && !isDuration(t)) {
      for (const sev of Object.keys(t)) c.ref('severity', sev, [...p, 'target', sev], 'key');
    }
    checklistItems(c, ph.checklist, [...p, 'checklist']);
    c.refs('checklist', ph.checklists, [...p, 'checklists']);
    c.refs('runbook', ph.runbooks, [...p, 'runbooks']);
  }
  for (const [i, list] of entries(plan.checklists)) checklistItems(c, list.items, ['checklists', i, 'items']);
}

function escalation(c: Checker, plan: Plan): void {
  for (const [i, path] of entries(plan.escalation.paths)) {
    const p = ['escalation', 'paths', i];
    c.appliesTo(path.applies_to, [...p, 'applies_to']);
    path.steps.forEach((step, j) => {
      step.notify.forEach((t, k) => {
        c.target(t, [...p, 'steps', j, 'notify', k]);
      });
    });
  }
  plan.escalation.matrix?.rows.forEach((row, i) => {
    const p = ['escalation', 'matrix', 'rows', i];
    c.target(row.target, [...p, 'target']);
    for (const sev of Object.keys(row.by_severity)) c.ref('severity', sev, [...p, 'by_severity', sev], 'key');
  });
}

function obligations(c: Checker, plan: Plan): void {
  const byKey = new Map([...entries(plan.obligations)].map(([, o]) => [o.key, o]));
  for (const [i, ob] of entries(plan.obligations)) {
    const p = ['obligations', i];
    c.ref('template', ob.template, [...p, 'template']);
    c.ref('role', ob.owner, [...p, 'owner']);
    c.appliesTo(ob.applies_to, [...p, 'applies_to']);
    if (!ob.starts_at.startsWith('obligation:')) continue;
    const first = ob.starts_at.slice('obligation:'.length);
    if (!c.has('obligation', first)) {
      const stage = ob.regime ? regime(ob.regime) : undefined;
      if (stage?.starts_at === ob.starts_at) {
        c.add(
          [...p, 'starts_at'],
          `regime ${ob.regime} starts its clock when the previous stage is met, but the plan has no obligation "${first}" nor one with regime: ${first}; add it`,
        );
      } else {
        c.ref('obligation', first, [...p, 'starts_at']);
      }
      continue;
    }
    // Follow the chain; coming back to this obligation means no clock in it can ever start.
    const seen = [ob.key];
    let next: string | undefined = first;
    while (next !== undefined) {
      if (seen.includes(next)) {
        if (next === ob.key) {
          c.add(
            [...p, 'starts_at'],
            `obligation clocks form a cycle (${[...seen, next].join(' → ')}), so none of them can start`,
          );
        }
        break;
      }
      seen.push(next);
      const start: string | undefined = byKey.get(next)?.starts_at;
      next = start?.startsWith('obligation:') ? start.slice('obligation:'.length) : undefined;
    }
  }
}

function runbooksAndSwitches(c: Checker, plan: Plan): void {
  for (const [i, rb] of entries(plan.runbooks)) {
    const p = ['runbooks', i];
    c.refs('type', rb.trigger?.types, [...p, 'trigger', 'types']);
    matchers(c, rb.trigger?.alert, [...p, 'trigger', 'alert']);
    rb.steps.forEach((step, j) => {
      if (step.action) c.ref('switch', step.action.switch, [...p, 'steps', j, 'action', 'switch']);
    });
  }
  for (const [i, sw] of entries(plan.switches)) c.refs('service', sw.services, ['switches', i, 'services']);
}

function operations(c: Checker, plan: Plan): void {
  for (const [i, svc] of entries(plan.services)) c.ref('path', svc.escalation, ['services', i, 'escalation']);
  for (const [i, d] of entries(plan.drills)) c.ref('severity', d.severity, ['drills', i, 'severity']);
  c.refs('role', plan.postmortem?.reviewers, ['postmortem', 'reviewers']);
  if (plan.calendar && !isValidTimeZone(plan.calendar.timezone)) {
    c.add(
      ['calendar', 'timezone'],
      `unknown time zone "${plan.calendar.timezone}"; use an IANA zone name such as "Asia/Jakarta", "Europe/Berlin" or "UTC"`,
    );
  }
}

function routing(c: Checker, plan: Plan): void {
  for (const [i, rule] of entries(plan.routing.rules)) {
    const p = ['routing', 'rules', i];
    matchers(c, rule.match, [...p, 'match']);
    c.ref('service', rule.service, [...p, 'service']);
    c.ref('type', rule.type, [...p, 'type']);
    c.ref('severity', rule.severity, [...p, 'severity']);
    if (rule.severity_from) {
      const sp = [...p, 'severity_from'];
      for (const [label, sev] of Object.entries(rule.severity_from.map))
        c.ref('severity', sev, [...sp, 'map', label]);
      c.ref('severity', rule.severity_from.default, [...sp, 'default']);
    }
  }
}

function matchers(c: Checker, match: Record<string, Matcher> | undefined, path: DocPath): void {
  for (const [label, m] of Object.entries(match ?? {})) {
    if (typeof m === 'string') continue;
    const pattern = 'regex' in m ? m.regex : 'not_regex' in m ? m.not_regex : undefined;
    if (pattern === undefined) continue;
    try {
      new RegExp(pattern);
    } catch (e) {
      const which = 'regex' in m ? 'regex' : 'not_regex';
      c.add([...path, label, which], `regular expression does not compile: ${(e as Error).message}`);
    }
  }
}
