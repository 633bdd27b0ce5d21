/** Rendering of who is called and told: escalation, communications and obligations. */
import type { Duration } from '../shared/duration.ts';
import { type Ctx, named, ref } from './render-base.ts';
import { bullets, code, duration, fence, numbered, t, table } from './render-md.ts';
import type { AppliesTo, Target } from './schema/primitives.ts';

export function target(c: Ctx, x: Target): string {
  const { plan, lang } = c;
  if ('role' in x) return ref(plan.roles, x.role, lang);
  if ('contact' in x) return ref(plan.contacts, x.contact, lang);
  if ('audience' in x) return ref(plan.communications.audiences, x.audience, lang);
  if ('schedule' in x)
    return lang === 'id' ? `jadwal on-call ${code(x.schedule)}` : `on-call schedule ${code(x.schedule)}`;
  if ('team' in x) return lang === 'id' ? `tim ${code(x.team)}` : `team ${code(x.team)}`;
  return x.user;
}

function offset(d: Duration, c: Ctx): string {
  return d.ms === 0 && d.months === 0 && d.businessDays === 0 ? 'T+0' : `${c.w.after} ${duration(d, c.lang)}`;
}

export function scope(c: Ctx, s: AppliesTo | undefined): string {
  if (!s) return '';
  const { plan, lang, w } = c;
  const parts: string[] = [];
  if (s.severities) parts.push(s.severities.map((k) => ref(plan.severities, k, lang)).join(', '));
  if (s.types) parts.push(s.types.map((k) => ref(plan.incident_types, k, lang)).join(', '));
  if (s.services) parts.push(s.services.map((k) => ref(plan.services, k, lang)).join(', '));
  return parts.length ? `**${w.appliesTo}:** ${parts.join('; ')}` : '';
}

export function renderEscalation(c: Ctx): string {
  const { plan, lang, w } = c;
  const { paths, matrix } = plan.escalation;
  if (paths.length === 0 && !matrix) return '';
  const out = [`## ${w.escalation}`];
  for (const p of paths) {
    const body = [`### ${named(t(p.label, lang), p.key)}`];
    if (p.description) body.push(t(p.description, lang));
    const applies = scope(c, p.applies_to);
    if (applies) body.push(applies);
    const steps = p.steps.map((s) => {
      const who = s.notify.map((x) => target(c, x)).join(', ');
      const own = t(s.label, lang);
      // A label that only repeats the target's name adds nothing.
      const label = own && !who.startsWith(own) ? `**${own}**: ` : '';
      const when = s.after ? `${offset(s.after, c)}, ${w.conditions[s.if]}` : w.manual;
      const lines = [`${label}${who} (${when})`];
      if (s.condition) lines.push(`${w.condition}: ${t(s.condition, lang)}`);
      if (s.duties?.length) lines.push(`${w.duties}: ${s.duties.map((d) => t(d, lang)).join('; ')}`);
      return lines.join('\n');
    });
    body.push(numbered(steps));
    if (p.repeat > 0) body.push(`${w.repeat}: ${p.repeat} ${w.times}`);
    out.push(body.join('\n\n'));
  }
  if (matrix) {
    const sevs = plan.severities.map((s) => s.key);
    const extra = [...new Set(matrix.rows.flatMap((r) => Object.keys(r.by_severity)))].filter(
      (k) => !sevs.includes(k),
    );
    const cols = [...sevs, ...extra];
    const who = (r: (typeof matrix.rows)[number]) => {
      const own = t(r.label, lang);
      const tgt = target(c, r.target);
      return own && !tgt.startsWith(own) ? `${own} (${tgt})` : tgt;
    };
    const rows = matrix.rows.map((r) => [
      who(r),
      ...cols.map((k) => {
        const v = r.by_severity[k];
        return v === undefined || v === null || v === '-' ? '-' : duration(v, lang);
      }),
    ]);
    out.push(
      [
        `### ${t(matrix.label, lang) || w.matrix}`,
        `(${w.conditions[matrix.if]})`,
        table([w.who, ...cols], rows),
      ].join('\n\n'),
    );
  }
  return out.join('\n\n');
}

export function renderComms(c: Ctx): string {
  const { plan, lang, w } = c;
  const { audiences, channels, templates } = plan.communications;
  if (audiences.length + channels.length + templates.length === 0) return '';
  const out = [`## ${w.communications}`];
  const chan = (keys: readonly string[] | undefined) =>
    (keys ?? []).map((k) => ref(channels, k, lang)).join(', ');
  if (audiences.length) {
    const rows = audiences.map((a) => {
      const perSeverity = plan.severities
        .filter((s) => s.update_every?.[a.key])
        .map((s) => `${s.key}: ${duration(s.update_every![a.key]!, lang)}`);
      const cadence = [a.update_every ? duration(a.update_every, lang) : '', ...perSeverity]
        .filter(Boolean)
        .join('; ');
      return [
        named(t(a.label, lang), a.key),
        a.external ? w.yes : w.no,
        chan(a.channels),
        cadence,
        t(a.description, lang),
      ];
    });
    out.push(`### ${w.audiences}`, table([w.audience, w.external, w.channels, w.updates, w.notes], rows));
  }
  if (channels.length) {
    const rows = channels.map((ch) => [
      named(t(ch.label, lang) || ch.key, ch.key),
      ch.type,
      ch.target ?? '',
      [
        scope(c, ch.applies_to).replace(/\*\*/g, ''),
        ch.drill_target ? `${w.drillTarget}: ${ch.drill_target}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    ]);
    out.push(`### ${w.channels}`, table([w.channel, w.type, w.targetWhere, w.notes], rows));
  }
  if (templates.length) {
    out.push(`### ${w.templates}`, w.placeholdersNote);
    for (const tpl of templates) {
      const body = [`#### ${named(t(tpl.label, lang), tpl.key)}`];
      const facts = [`**${w.audience}:** ${ref(audiences, tpl.audience, lang)}`];
      if (tpl.channels?.length) facts.push(`**${w.channels}:** ${chan(tpl.channels)}`);
      body.push(facts.join(' · '));
      const applies = scope(c, tpl.applies_to);
      if (applies) body.push(applies);
      if (tpl.subject) body.push(`**${w.subject}:** ${code(t(tpl.subject, lang))}`);
      body.push(fence(t(tpl.body, lang), 'text'));
      if (tpl.fields?.length) {
        const fields = tpl.fields.map((f) => {
          const notes = [
            f.required ? w.required : '',
            f.multiline ? w.multiline : '',
            f.default ? `${w.default}: ${f.default}` : '',
          ]
            .filter(Boolean)
            .join(', ');
          return `${code(`{{fields.${f.key}}}`)}: ${t(f.label, lang)}${notes ? ` (${notes})` : ''}`;
        });
        body.push(`**${w.fields}:**\n\n${bullets(fields)}`);
      }
      out.push(body.join('\n\n'));
    }
  }
  return out.join('\n\n');
}

export function renderObligations(c: Ctx): string {
  const { plan, lang, w } = c;
  if (plan.obligations.length === 0) return '';
  const out = [`## ${w.obligations}`];
  for (const o of plan.obligations) {
    const starts = o.starts_at.startsWith('obligation:')
      ? `${w.afterObligation} ${ref(plan.obligations, o.starts_at.slice('obligation:'.length), lang)}`
      : (w.starts_at[o.starts_at] ?? o.starts_at);
    const facts = [
      `**${w.recipient}:** ${t(o.recipient, lang)}`,
      `**${w.deadline}:** ${duration(o.deadline, lang)}`,
      `**${w.clockStarts}:** ${starts}`,
    ];
    if (o.regime) facts.push(`**${w.regime}:** ${code(o.regime)}`);
    if (o.owner) facts.push(`**${w.owner}:** ${ref(plan.roles, o.owner, lang)}`);
    if (o.template) facts.push(`**${w.template}:** ${ref(plan.communications.templates, o.template, lang)}`);
    const applies = scope(c, o.applies_to);
    if (applies) facts.push(applies);
    const listedBy = plan.incident_types.filter((ty) => ty.obligations?.includes(o.key));
    if (listedBy.length) {
      facts.push(`**${w.types}:** ${listedBy.map((ty) => named(t(ty.label, lang), ty.key)).join(', ')}`);
    }
    const body = [`### ${named(t(o.label, lang), o.key)}`, bullets(facts)];
    if (o.description) body.push(t(o.description, lang));
    if (o.reference) body.push(`_${w.reference}: ${o.reference}_`);
    out.push(body.join('\n\n'));
  }
  return out.join('\n\n');
}
