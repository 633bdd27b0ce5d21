/**
 * The plan as the document people read. It is generated from the file Siaga runs, so the
 * document and the behaviour cannot disagree; that only holds if every rule in the file shows
 * up here, which the tests check for each example plan.
 */
import type { Language, Text } from '../shared/text.ts';
import { isDuration } from './durations.ts';
import type { Plan } from './regimes.ts';
import { type Ctx, item, named, ref } from './render-base.ts';
import { renderComms, renderEscalation, renderObligations } from './render-comms.ts';
import { words } from './render-i18n.ts';
import { bullets, code, duration, numbered, t, table } from './render-md.ts';
import { renderOperations } from './render-operations.ts';
import { PLAN_FORMAT } from './schema/plan.ts';

export function renderPlanMarkdown(plan: Plan, language: Language): string {
  const c: Ctx = { plan, lang: language, w: words(language) };
  const parts = [
    header(c),
    contacts(c),
    services(c),
    severities(c),
    roles(c),
    types(c),
    phases(c),
    checklists(c),
    renderEscalation(c),
    renderComms(c),
    renderObligations(c),
    ...renderOperations(c),
  ];
  return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}

function header(c: Ctx): string {
  const { plan, lang, w } = c;
  const meta = [`${w.planKey}: ${code(plan.key)}`, `${w.format}: ${code(PLAN_FORMAT)}`];
  if (plan.owner) meta.push(`${w.owner}: ${plan.owner}`);
  const out = [`# ${t(plan.name, lang)}`, `_${meta.join(' · ')}_`, `> ${w.generated}`];
  if (plan.description) out.push(`## ${w.purpose}`, t(plan.description, lang));
  return out.join('\n\n');
}

function contacts(c: Ctx): string {
  const { plan, lang, w } = c;
  if (plan.contacts.length === 0) return '';
  const rows = plan.contacts.map((k) => [
    named(t(k.label, lang), k.key),
    k.email ?? '',
    k.phone ?? '',
    [k.url ?? '', t(k.description, lang)].filter(Boolean).join(' '),
  ]);
  return `## ${w.contacts}\n\n${table([w.contact, w.email, w.phone, w.notes], rows)}`;
}

function services(c: Ctx): string {
  const { plan, lang, w } = c;
  if (plan.services.length === 0) return '';
  const rows = plan.services.map((s) => [
    named(t(s.label, lang), s.key),
    [t(s.description, lang), s.owner ? `${w.owner}: ${s.owner}` : ''].filter(Boolean).join(' '),
    s.escalation ? ref(plan.escalation.paths, s.escalation, lang) : '',
    s.component ?? '',
  ]);
  return `## ${w.services}\n\n${table([w.service, w.notes, w.escalationPath, w.component], rows)}`;
}

function severities(c: Ctx): string {
  const { plan, lang, w } = c;
  const cadence = (s: Plan['severities'][number]): string =>
    Object.entries(s.update_every ?? {})
      .map(
        ([aud, d]) =>
          `${t(plan.communications.audiences.find((a) => a.key === aud)?.label, lang) || aud}: ${duration(d, lang)}`,
      )
      .join('; ');
  const rows = plan.severities.map((s) => [
    named(t(s.label, lang), s.key),
    w.levels[s.level] ?? s.level,
    duration(s.response_target, lang),
    s.mttr_target ? duration(s.mttr_target, lang) : '',
    cadence(s),
    s.postmortem
      ? s.postmortem.required
        ? `${w.required}${s.postmortem.due ? `, ${w.within} ${duration(s.postmortem.due, lang)}` : ''}`
        : w.notRequired
      : '',
  ]);
  const out = [
    `## ${w.severities}`,
    table([w.severity, w.level, w.response, w.mttr, w.updates, w.postmortem], rows),
  ];
  for (const s of plan.severities) {
    const body: string[] = [`### ${s.key}: ${t(s.label, lang)}`];
    if (s.definition) body.push(`**${w.definition}:** ${t(s.definition, lang)}`);
    if (s.examples?.length) body.push(`**${w.examples}:**\n\n${bullets(s.examples.map((e) => t(e, lang)))}`);
    const facts = [`${w.external}: ${s.external_communication ? w.yes : w.no}`];
    if (s.escalation) facts.push(`${w.escalationPath}: ${ref(plan.escalation.paths, s.escalation, lang)}`);
    body.push(facts.join(' · '));
    if (s.notes?.length) body.push(bullets(s.notes.map((n) => t(n, lang))));
    out.push(body.join('\n\n'));
  }
  return out.join('\n\n');
}

function roles(c: Ctx): string {
  const { plan, lang, w } = c;
  if (plan.roles.length === 0) return '';
  const out = [`## ${w.roles}`];
  for (const r of plan.roles) {
    const head = `### ${t(r.label, lang)} (${code(r.key)})${r.commander ? `: ${w.commander}` : ''}`;
    const body = [head];
    if (r.default_holder) {
      const contact = plan.contacts.find((k) => k.key === r.default_holder);
      body.push(`${w.holder}: ${contact ? named(t(contact.label, lang), contact.key) : r.default_holder}`);
    }
    if (r.responsibilities?.length) body.push(bullets(r.responsibilities.map((x) => t(x, lang))));
    out.push(body.join('\n\n'));
  }
  return out.join('\n\n');
}

function types(c: Ctx): string {
  const { plan, lang, w } = c;
  const out = [`## ${w.types}`];
  for (const ty of plan.incident_types) {
    const body = [`### ${named(t(ty.label, lang), ty.key)}`];
    if (ty.description) body.push(t(ty.description, lang));
    if (ty.examples?.length)
      body.push(`**${w.examples}:**\n\n${bullets(ty.examples.map((e) => t(e, lang)))}`);
    if (ty.default_severity)
      body.push(`**${w.defaultSeverity}:** ${ref(plan.severities, ty.default_severity, lang)}`);
    if (ty.containment?.length)
      body.push(`**${w.containment}:**\n\n${ty.containment.map((x) => item(c, x)).join('\n')}`);
    const links: [string, string[] | undefined, readonly { key: string; label?: Text }[]][] = [
      [w.checklists, ty.checklists, plan.checklists],
      [w.obligations, ty.obligations, plan.obligations],
      [w.rolesNeeded, ty.roles, plan.roles],
      [w.runbooks, ty.runbooks, plan.runbooks],
    ];
    for (const [label, keys, list] of links) {
      if (keys?.length) body.push(`**${label}:** ${keys.map((k) => ref(list, k, lang)).join(', ')}`);
    }
    if (ty.mitigations?.length)
      body.push(`**${w.mitigations}:**\n\n${bullets(ty.mitigations.map((m) => t(m, lang)))}`);
    if (ty.escalation)
      body.push(`**${w.escalationPath}:** ${ref(plan.escalation.paths, ty.escalation, lang)}`);
    out.push(body.join('\n\n'));
  }
  return out.join('\n\n');
}

function phases(c: Ctx): string {
  const { plan, lang, w } = c;
  if (plan.phases.length === 0) return '';
  const out = [`## ${w.phases}`];
  plan.phases.forEach((p, n) => {
    const body = [`### ${n + 1}. ${named(t(p.label, lang), p.key)}`];
    const when: string[] = [];
    if (p.starts)
      when.push(
        `${w.starts} ${p.starts.ms === 0 && !p.starts.months && !p.starts.businessDays ? 'T+0' : duration(p.starts, lang)}`,
      );
    if (p.target) {
      const target = isDuration(p.target)
        ? duration(p.target, lang)
        : Object.entries(p.target)
            .map(([sev, d]) => `${sev}: ${duration(d, lang)}`)
            .join(', ');
      when.push(`${w.target} ${target}`);
    }
    if (when.length) body.push(`**${w.window}:** ${when.join(', ')} (${w.fromDetection})`);
    if (p.description) body.push(t(p.description, lang));
    if (p.sources?.length) body.push(`**${w.sources}:**\n\n${bullets(p.sources.map((s) => t(s, lang)))}`);
    if (p.actions?.length) body.push(`**${w.actions}:**\n\n${numbered(p.actions.map((a) => t(a, lang)))}`);
    if (p.checklist?.length)
      body.push(`**${w.checklist}:**\n\n${p.checklist.map((x) => item(c, x)).join('\n')}`);
    if (p.checklists?.length)
      body.push(`**${w.checklists}:** ${p.checklists.map((k) => ref(plan.checklists, k, lang)).join(', ')}`);
    if (p.runbooks?.length)
      body.push(`**${w.runbooks}:** ${p.runbooks.map((k) => ref(plan.runbooks, k, lang)).join(', ')}`);
    out.push(body.join('\n\n'));
  });
  return out.join('\n\n');
}

function checklists(c: Ctx): string {
  const { plan, lang, w } = c;
  if (plan.checklists.length === 0) return '';
  const out = [`## ${w.checklists}`];
  for (const list of plan.checklists) {
    const body = [`### ${named(t(list.label, lang), list.key)}`];
    if (list.description) body.push(t(list.description, lang));
    body.push(list.items.map((x) => item(c, x)).join('\n'));
    out.push(body.join('\n\n'));
  }
  return out.join('\n\n');
}
