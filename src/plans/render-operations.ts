/** Rendering of what responders run and what the organisation keeps up: runbooks, switches, post-mortems, drills. */
import { pick } from '../shared/text.ts';
import { type Ctx, named, ref } from './render-base.ts';
import { bullets, code, duration, fence, t, table } from './render-md.ts';
import type { Matcher } from './schema/primitives.ts';

export function renderOperations(c: Ctx): string[] {
  return [
    runbooks(c),
    switches(c),
    postmortem(c),
    metrics(c),
    drills(c),
    routines(c),
    routing(c),
    calendar(c),
    notes(c),
  ];
}

function matcher(m: Matcher): string {
  if (typeof m === 'string') return m;
  const [op, v] = Object.entries(m)[0]!;
  return `${op} ${String(v)}`;
}

function matchers(match: Record<string, Matcher> | undefined): string {
  return Object.entries(match ?? {})
    .map(([label, m]) => code(`${label}: ${matcher(m)}`))
    .join(', ');
}

function runbooks(c: Ctx): string {
  const { plan, lang, w } = c;
  if (plan.runbooks.length === 0) return '';
  const out = [`## ${w.runbooks}`];
  for (const rb of plan.runbooks) {
    const body = [`### ${named(t(rb.label, lang), rb.key)}`];
    if (rb.description) body.push(t(rb.description, lang));
    const trig = rb.trigger;
    if (trig?.text) body.push(`**${w.trigger}:** ${t(trig.text, lang)}`);
    if (trig?.alert) body.push(`**${w.alertMatch}:** ${matchers(trig.alert)}`);
    if (trig?.types?.length)
      body.push(`**${w.types}:** ${trig.types.map((k) => ref(plan.incident_types, k, lang)).join(', ')}`);
    const steps = rb.steps.map((s, n) => {
      const title = s.critical ? `**${w.critical}: ${t(s.title, lang)}**` : `**${t(s.title, lang)}**`;
      const lines = [`${n + 1}. ${title}`];
      const indent = (text: string) => text.replace(/^/gm, '   ');
      if (s.text) lines.push('', indent(t(s.text, lang)));
      if (s.items?.length) lines.push('', indent(bullets(s.items.map((i) => t(i, lang)))));
      if (s.command !== undefined) lines.push('', indent(fence(s.command, s.language ?? 'bash')));
      if (s.action) {
        const verb = s.action.set === 'on' ? w.switchOn : w.switchOff;
        const reason = s.action.reason ? `: "${s.action.reason}"` : '';
        lines.push(
          '',
          indent(`_${w.action}: ${verb} ${ref(plan.switches, s.action.switch, lang)}${reason}_`),
        );
      }
      return lines.join('\n');
    });
    body.push(steps.join('\n\n'));
    out.push(body.join('\n\n'));
  }
  return out.join('\n\n');
}

function switches(c: Ctx): string {
  const { plan, lang, w } = c;
  if (plan.switches.length === 0) return '';
  const rows = plan.switches.map((s) => [
    named(t(s.label, lang), s.key),
    s.default ? w.on : w.off,
    s.two_person ? w.twoPerson : '',
    (s.services ?? []).map((k) => ref(plan.services, k, lang)).join(', '),
    t(s.description, lang),
  ]);
  return `## ${w.switches}\n\n${table([w.switch, w.defaultState, '', w.services, w.notes], rows)}`;
}

function postmortem(c: Ctx): string {
  const { plan, lang, w } = c;
  const pm = plan.postmortem;
  const required = plan.severities.filter((s) => s.postmortem?.required);
  if (!pm && required.length === 0) return '';
  const out = [`## ${w.postmortem}`];
  if (required.length) {
    const list = required.map(
      (s) => `${s.key}${s.postmortem?.due ? ` (${w.within} ${duration(s.postmortem.due, lang)})` : ''}`,
    );
    out.push(`**${w.requiredFor}:** ${list.join(', ')}`);
  }
  if (!pm) return out.join('\n\n');
  const facts: string[] = [];
  if (pm.blameless) facts.push(w.blameless);
  if (pm.path) facts.push(`${w.pmPath}: ${code(pm.path)}`);
  const ai = pm.action_items;
  facts.push(
    `${w.actionItems}: ${w.formatWord} ${ai.format}, ${w.priorities} ${ai.priorities.join(', ')}${
      ai.columns ? ` (${ai.columns.map((col) => t(col, lang)).join(' | ')})` : ''
    }`,
  );
  if (pm.reviewers?.length)
    facts.push(`${w.reviewers}: ${pm.reviewers.map((k) => ref(plan.roles, k, lang)).join(', ')}`);
  out.push(bullets(facts));
  // The template is shown as the document it produces, fenced so its headings stay inside.
  const level = pm.template.heading_level;
  const hashes = '#'.repeat(level);
  const doc = [`${hashes} ${t(pm.template.title, lang)}`];
  if (pm.template.preamble) doc.push(t(pm.template.preamble, lang));
  for (const s of pm.template.sections) {
    doc.push(`${hashes}# ${t(s.title, lang)}`);
    const notes = [
      s.key,
      s.required ? w.required : '',
      s.prefill !== 'none' ? `${w.prefill}: ${s.prefill}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    doc.push(`<!-- ${notes} -->`);
    if (s.guidance) doc.push(`<!-- ${w.guidance}: ${t(s.guidance, lang)} -->`);
    if (s.body) doc.push(t(s.body, lang));
  }
  out.push(`### ${w.pmTemplate}`, fence(doc.join('\n\n'), 'markdown'));
  return out.join('\n\n');
}

function metrics(c: Ctx): string {
  const { plan, lang, w } = c;
  const m = plan.metrics;
  const mttr = plan.severities.filter((s) => s.mttr_target);
  if (!m && mttr.length === 0) return '';
  const out = [`## ${w.metrics}`];
  const targets: string[] = [];
  for (const k of ['mttd', 'mtta', 'mttr'] as const) {
    const d = m?.targets?.[k];
    if (d) targets.push(`${k.toUpperCase()}: ${duration(d, lang)}`);
  }
  for (const s of mttr) targets.push(`${s.key}: MTTR ${duration(s.mttr_target!, lang)}`);
  if (targets.length) out.push(`**${w.targets}:**\n\n${bullets(targets)}`);
  if (m?.track?.length) out.push(`**${w.track}:**\n\n${bullets(m.track.map((x) => t(x, lang)))}`);
  return out.join('\n\n');
}

function drills(c: Ctx): string {
  const { plan, lang, w } = c;
  if (plan.drills.length === 0) return '';
  const lines = plan.drills.map((d) => {
    const facts = [`${w.drillKinds[d.kind] ?? d.kind}, ${w.every} ${duration(d.every, lang)}`];
    if (d.severity) facts.push(ref(plan.severities, d.severity, lang));
    if (d.scenario) facts.push(`${w.scenario} ${code(d.scenario)}`);
    if (d.last_held) facts.push(`${w.lastHeld} ${d.last_held}`);
    const desc = d.description ? `: ${t(d.description, lang)}` : '';
    return `**${named(t(d.label, lang), d.key)}** (${facts.join('; ')})${desc}`;
  });
  return `## ${w.drills}\n\n${bullets(lines)}`;
}

function routines(c: Ctx): string {
  const { plan, lang, w } = c;
  if (plan.routines.length === 0) return '';
  const lines = plan.routines.map((r) => {
    const facts = [`${w.every} ${duration(r.every, lang)}`];
    if (r.owner) facts.push(`${w.owner}: ${r.owner}`);
    const desc = r.description ? `: ${t(r.description, lang)}` : '';
    return `**${named(t(r.label, lang), r.key)}** (${facts.join('; ')})${desc}`;
  });
  return `## ${w.routines}\n\n${bullets(lines)}`;
}

function routing(c: Ctx): string {
  const { plan, lang, w } = c;
  const r = plan.routing;
  if (r.rules.length === 0) return '';
  const rows = r.rules.map((rule) => {
    const sev = rule.severity_from
      ? `${rule.severity_from.label}: ${Object.entries(rule.severity_from.map)
          .map(([v, k]) => `${v} → ${k}`)
          .join(', ')}${rule.severity_from.default ? ` (${w.default} ${rule.severity_from.default})` : ''}`
      : (rule.severity ?? '');
    return [
      rule.key ? code(rule.key) : '',
      matchers(rule.match) || w.all,
      rule.action,
      [
        rule.service ? ref(plan.services, rule.service, lang) : '',
        rule.type ? ref(plan.incident_types, rule.type, lang) : '',
      ]
        .filter(Boolean)
        .join(', '),
      sev,
      [...(rule.group_by ?? []), rule.group_window ? duration(rule.group_window, lang) : '']
        .filter(Boolean)
        .join(', '),
    ];
  });
  const out = [
    `## ${w.routing}`,
    table(['', w.match, w.routeAction, `${w.service} / ${w.type}`, w.severity, w.groupBy], rows),
    `${w.onAllResolved}: ${code(r.on_all_resolved)}`,
  ];
  if (r.reopen_window) out.push(`${w.reopenWindow}: ${duration(r.reopen_window, lang)}`);
  return out.join('\n\n');
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function calendar(c: Ctx): string {
  const { plan, w } = c;
  const cal = plan.calendar;
  const facts = [
    `${w.timezone}: ${cal.timezone}`,
    `${w.weekend}: ${cal.weekend.map((d) => DAYS[d]).join(', ')}`,
  ];
  if (cal.holidays.length) facts.push(`${w.holidays}: ${cal.holidays.join(', ')}`);
  return `## ${w.calendar}\n\n${bullets(facts)}`;
}

function notes(c: Ctx): string {
  const { plan, lang, w } = c;
  if (!plan.notes?.length) return '';
  return `## ${w.notes}\n\n${bullets(plan.notes.map((n) => pick(n, lang)))}`;
}
