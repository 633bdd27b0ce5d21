/** References within communications: audiences, channels, templates and their placeholders. */
import type { Text } from '../shared/text.ts';
import {
  extractPlaceholderUses,
  isKnownPlaceholder,
  knownPlaceholders,
  malformedPlaceholders,
} from './placeholders.ts';
import type { DocPath } from './problems.ts';
import { type Checker, entries } from './ref-index.ts';
import type { Plan } from './regimes.ts';
import { didYouMean } from './suggest.ts';

export function checkCommunications(c: Checker, plan: Plan): void {
  const comms = plan.communications;
  for (const [i, a] of entries(comms.audiences))
    c.refs('channel', a.channels, ['communications', 'audiences', i, 'channels']);
  for (const [i, ch] of entries(comms.channels))
    c.appliesTo(ch.applies_to, ['communications', 'channels', i, 'applies_to']);
  for (const [i, t] of entries(comms.templates)) {
    const p = ['communications', 'templates', i];
    c.ref('audience', t.audience, [...p, 'audience']);
    c.refs('channel', t.channels, [...p, 'channels']);
    c.appliesTo(t.applies_to, [...p, 'applies_to']);
    const fields = (t.fields ?? []).map((f) => f.key);
    placeholders(c, t.subject, [...p, 'subject'], fields);
    placeholders(c, t.body, [...p, 'body'], fields);
  }
  if (plan.postmortem?.path) placeholders(c, plan.postmortem.path, ['postmortem', 'path'], []);
  const pm = plan.postmortem?.template;
  if (pm) {
    placeholders(c, pm.title, ['postmortem', 'template', 'title'], []);
    placeholders(c, pm.preamble, ['postmortem', 'template', 'preamble'], []);
    pm.sections.forEach((s, i) => {
      placeholders(c, s.body, ['postmortem', 'template', 'sections', i, 'body'], []);
    });
  }
}

/** Each language variant is checked: an update goes out in either. */
function placeholders(c: Checker, text: Text | undefined, path: DocPath, fields: readonly string[]): void {
  if (text === undefined) return;
  const byLanguage: [DocPath, string | undefined][] =
    typeof text === 'string'
      ? [[path, text]]
      : [
          [[...path, 'en'], text.en],
          [[...path, 'id'], text.id],
        ];
  for (const [p, variant] of byLanguage) {
    if (variant === undefined) continue;
    for (const bad of malformedPlaceholders(variant)) {
      c.addWithin(
        p,
        bad,
        `"${bad}" is not a placeholder: write {{ name }} with a dotted name such as {{ incident.title }} (templates have no logic)`,
      );
    }
    for (const [name, written] of extractPlaceholderUses(variant)) {
      if (isKnownPlaceholder(name, fields)) continue;
      const hint = didYouMean(name, knownPlaceholders(fields));
      const fix = name.startsWith('fields.')
        ? ` add a field with key "${name.slice('fields.'.length)}" to this template's fields`
        : ' see the placeholder catalogue in docs/plan-format.md';
      c.addWithin(p, written, `unknown placeholder "{{${name}}}";${hint === '' ? fix : hint}`);
    }
  }
}
