/**
 * The keys a plan defines, by list, and the recording of problems about them. Shared by the
 * reference checks so every "unknown …" message reads the same and suggests the same way.
 */
import type { DocPath, PathProblem } from './problems.ts';
import type { Plan } from './regimes.ts';
import type { AppliesTo, Target } from './schema/primitives.ts';
import { unknownMessage } from './suggest.ts';

export const KINDS = {
  severity: 'severities',
  role: 'roles',
  type: 'incident types',
  phase: 'phases',
  checklist: 'checklists',
  path: 'escalation paths',
  audience: 'audiences',
  channel: 'channels',
  template: 'templates',
  obligation: 'obligations',
  runbook: 'runbooks',
  switch: 'switches',
  service: 'services',
  contact: 'contacts',
  drill: 'drills',
} as const;
export type Kind = keyof typeof KINDS;

/** Keys that exist in the file but sit in items that failed validation; not "unknown". */
export type AlsoKnown = Partial<Record<Kind, ReadonlySet<string>>>;

/** Items of a list by original index; a list rebuilt from a partly invalid file has holes. */
export function* entries<T>(list: readonly (T | undefined)[] | undefined): Generator<[number, T]> {
  if (!list) return;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item !== undefined) yield [i, item];
  }
}

type Keyed = { key: string };

export function listsOf(plan: Plan): Record<Kind, readonly (Keyed | undefined)[]> {
  return {
    severity: plan.severities,
    role: plan.roles,
    type: plan.incident_types,
    phase: plan.phases,
    checklist: plan.checklists,
    path: plan.escalation.paths,
    audience: plan.communications.audiences,
    channel: plan.communications.channels,
    template: plan.communications.templates,
    obligation: plan.obligations,
    runbook: plan.runbooks,
    switch: plan.switches,
    service: plan.services,
    contact: plan.contacts,
    drill: plan.drills,
  };
}

/** Where each list lives in the document, for problems about its items. */
export const LIST_PATHS: Record<Kind, DocPath> = {
  severity: ['severities'],
  role: ['roles'],
  type: ['incident_types'],
  phase: ['phases'],
  checklist: ['checklists'],
  path: ['escalation', 'paths'],
  audience: ['communications', 'audiences'],
  channel: ['communications', 'channels'],
  template: ['communications', 'templates'],
  obligation: ['obligations'],
  runbook: ['runbooks'],
  switch: ['switches'],
  service: ['services'],
  contact: ['contacts'],
  drill: ['drills'],
};

export class Checker {
  readonly problems: PathProblem[] = [];
  private readonly known: Record<Kind, string[]>;
  private readonly alsoKnown: AlsoKnown;

  constructor(plan: Plan, alsoKnown: AlsoKnown = {}) {
    const lists = listsOf(plan);
    this.known = {} as Record<Kind, string[]>;
    for (const kind of Object.keys(KINDS) as Kind[]) {
      this.known[kind] = [...new Set([...entries(lists[kind])].map(([, item]) => item.key))];
    }
    this.alsoKnown = alsoKnown;
  }

  has(kind: Kind, key: string): boolean {
    return this.known[kind].includes(key) || (this.alsoKnown[kind]?.has(key) ?? false);
  }

  keys(kind: Kind): string[] {
    return this.known[kind];
  }

  add(path: DocPath, message: string, at?: 'key' | 'value'): void {
    this.problems.push(at ? { path, message, at } : { path, message });
  }

  /** A problem about a piece of text inside a value (a placeholder in a template body). */
  addWithin(path: DocPath, needle: string, message: string): void {
    this.problems.push({ path, message, needle });
  }

  /** Records a problem unless `key` names an item of `kind`. */
  ref(kind: Kind, key: string | undefined, path: DocPath, at?: 'key' | 'value'): void {
    if (key === undefined || this.has(kind, key)) return;
    const label = kind === 'type' ? 'incident type' : kind === 'path' ? 'escalation path' : kind;
    this.add(path, unknownMessage(label, key, this.known[kind]), at);
  }

  appliesTo(scope: AppliesTo | undefined, path: DocPath): void {
    if (!scope) return;
    this.refs('severity', scope.severities, [...path, 'severities']);
    this.refs('type', scope.types, [...path, 'types']);
    this.refs('service', scope.services, [...path, 'services']);
  }

  /** Schedules, teams and users are runtime objects, resolved when the plan is applied. */
  target(t: Target, path: DocPath): void {
    if ('role' in t) this.ref('role', t.role, [...path, 'role']);
    else if ('contact' in t) this.ref('contact', t.contact, [...path, 'contact']);
    else if ('audience' in t) this.ref('audience', t.audience, [...path, 'audience']);
  }

  refs(kind: Kind, keys: readonly string[] | undefined, path: DocPath): void {
    keys?.forEach((key, i) => {
      this.ref(kind, key, [...path, i]);
    });
  }
}
