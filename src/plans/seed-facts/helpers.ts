/**
 * Accessors for the seed-fact tests (examples.test.ts): each returns a plain value (a string, a
 * list of strings) so a fact reads as "this part of the plan equals what the seed says".
 */
import type { Duration } from '../../shared/duration.ts';
import { type Language, pick, type Text } from '../../shared/text.ts';
import { isDuration } from '../durations.ts';
import { normaliseItem, obligationsFor } from '../lookup.ts';
import type { Obligation, Plan } from '../regimes.ts';
import type { ChecklistItem } from '../schema/checklists.ts';
import type { Target } from '../schema/primitives.ts';

export type Fact = [fact: string, actual: (p: Plan) => unknown, expected: unknown];

export function facts(lang: Language) {
  const txt = (t: Text | undefined) => pick(t, lang);
  const dur = (d: Duration | undefined) => d?.text;
  const items = (list: readonly ChecklistItem[] | undefined) =>
    (list ?? []).map((i) => txt(normaliseItem(i).text));
  const find = <T extends { key: string }>(list: readonly T[], key: string, what: string): T => {
    const hit = list.find((x) => x.key === key);
    if (!hit) throw new Error(`no ${what} "${key}"`);
    return hit;
  };
  const targetText = (t: Target) => Object.entries(t)[0]!.join(':');
  return {
    txt,
    dur,
    items,
    severity: (p: Plan, key: string) => find(p.severities, key, 'severity'),
    type: (p: Plan, key: string) => find(p.incident_types, key, 'incident type'),
    role: (p: Plan, key: string) => find(p.roles, key, 'role'),
    phase: (p: Plan, key: string) => find(p.phases, key, 'phase'),
    checklist: (p: Plan, key: string) => items(find(p.checklists, key, 'checklist').items),
    template: (p: Plan, key: string) => find(p.communications.templates, key, 'template'),
    audience: (p: Plan, key: string) => find(p.communications.audiences, key, 'audience'),
    channel: (p: Plan, key: string) => find(p.communications.channels, key, 'channel'),
    runbook: (p: Plan, key: string) => find(p.runbooks, key, 'runbook'),
    contact: (p: Plan, key: string) => find(p.contacts, key, 'contact'),
    path: (p: Plan, key: string) => find(p.escalation.paths, key, 'escalation path'),
    drill: (p: Plan, key: string) => find(p.drills, key, 'drill'),
    routine: (p: Plan, key: string) => find(p.routines, key, 'routine'),
    switchOf: (p: Plan, key: string) => find(p.switches, key, 'switch'),
    /** The one obligation whose recipient mentions `who`. */
    obligationTo: (p: Plan, who: string): Obligation => {
      const hits = p.obligations.filter((o) => txt(o.recipient).includes(who));
      if (hits.length !== 1) throw new Error(`${hits.length} obligations to "${who}"`);
      return hits[0]!;
    },
    /** "Recipient within 72h" for each obligation that applies to a type of incident, at any severity. */
    obligationsOf: (p: Plan, typeKey: string) =>
      p.severities
        .flatMap((s) => obligationsFor(p, typeKey, s.key))
        .filter((o, i, all) => all.indexOf(o) === i)
        .map((o) => `${txt(o.recipient)} within ${o.deadline.text}`),
    /** "label: role:ic, contact:cto (after 15m if unresolved)" for each step. */
    steps: (p: Plan, key: string) =>
      find(p.escalation.paths, key, 'escalation path').steps.map((s) => {
        const when = s.after ? ` after ${s.after.text} if ${s.if}` : '';
        const cond = s.condition ? ` only ${txt(s.condition)}` : '';
        return `${txt(s.label)}: ${s.notify.map(targetText).join(', ')}${when}${cond}`;
      }),
    /** Each phase as "key starts–target". */
    window: (p: Plan, key: string) => {
      const ph = find(p.phases, key, 'phase');
      const target =
        ph.target === undefined
          ? ''
          : isDuration(ph.target)
            ? ph.target.text
            : JSON.stringify(Object.fromEntries(Object.entries(ph.target).map(([k, d]) => [k, d.text])));
      return `${ph.starts?.text ?? ''}–${target}`;
    },
    sectionTitles: (p: Plan) => (p.postmortem?.template.sections ?? []).map((s) => txt(s.title)),
    section: (p: Plan, key: string) => {
      const s = find(p.postmortem?.template.sections ?? [], key, 'post-mortem section');
      return txt(s.body ?? s.guidance);
    },
    matrixRow: (p: Plan, label: string) => {
      const row = p.escalation.matrix?.rows.find((r) => txt(r.label) === label);
      if (!row) throw new Error(`no matrix row "${label}"`);
      const cells = Object.entries(row.by_severity).map(
        ([k, v]) => `${k}=${v === null || v === '-' ? '-' : v.text}`,
      );
      return `${targetText(row.target)} ${cells.join(' ')}`;
    },
  };
}
