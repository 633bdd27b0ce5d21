/** What every part of the rendered plan shares: the plan, the language, and how things are named. */
import type { Language, Text } from '../shared/text.ts';
import { normaliseItem } from './lookup.ts';
import type { Plan } from './regimes.ts';
import type { Words } from './render-i18n.ts';
import { code, duration, t } from './render-md.ts';
import type { ChecklistItem } from './schema/checklists.ts';

export type Ctx = { plan: Plan; lang: Language; w: Words };

/** A named thing and its key, so the document can be matched to the file: "Critical (`S1`)". */
export function named(label: string, key: string): string {
  return label === key ? code(key) : `${label} (${code(key)})`;
}

/** Resolves a key to "Label (`key`)" using a list; an unknown key shows as itself. */
export function ref(list: readonly { key: string; label?: Text }[], key: string, lang: Language): string {
  const item = list.find((i) => i.key === key);
  return item ? named(t(item.label, lang) || key, key) : code(key);
}

/** A checklist item as a task line, with who does it, by when, and what it flips or opens. */
export function item(c: Ctx, raw: ChecklistItem): string {
  const { plan, lang, w } = c;
  const i = normaliseItem(raw);
  const extra: string[] = [];
  if (i.role) extra.push(ref(plan.roles, i.role, lang));
  if (i.due) extra.push(`${w.within} ${duration(i.due, lang)}`);
  if (i.switch) extra.push(`${w.switch}: ${ref(plan.switches, i.switch, lang)}`);
  if (i.runbook) extra.push(`${w.runbooks}: ${ref(plan.runbooks, i.runbook, lang)}`);
  return `- [ ] ${t(i.text, lang)}${extra.length ? ` (${extra.join('; ')})` : ''}`;
}
