import { stringify } from 'yaml';
import type { IncidentClock } from '../incidents/clocks.ts';
import type { IncidentRow } from '../incidents/queries.ts';
import { incidentVars } from '../incidents/vars.ts';
import { type Plan, type Postmortem, pick, renderTemplate } from '../plans/index.ts';
import { extractPlaceholders } from '../plans/placeholders.ts';
import {
  clockLine,
  type EventFact,
  formatTimeline,
  reconstructTimeline,
  reportedClocks,
} from './reconstruct.ts';
import type { StoredSection } from './tables.ts';

export type DraftInput = {
  plan: Plan;
  incident: IncidentRow;
  events: EventFact[];
  clocks: IncidentClock[];
  commander?: string;
  publicUrl: string;
  now: Date;
};

export type Draft = { title: string; headingLevel: number; preamble: string; sections: StoredSection[] };

function vars(d: DraftInput) {
  return incidentVars(d.plan, d.incident, { commander: d.commander, publicUrl: d.publicUrl, now: d.now });
}

/** What Siaga writes into a prefilled section, from the incident; the template's text otherwise. */
export function prefillBody(d: DraftInput, prefill: string, template: string): string {
  const v = vars(d);
  const rendered = renderTemplate(template, v).text;
  const tz = d.plan.calendar.timezone;
  switch (prefill) {
    case 'summary':
      // A template with placeholders (seed 001's Date/Severity/Duration/Impact list) is filled in;
      // one that is only a prompt ("[1-2 sentence description]") gets the incident's own words.
      if (extractPlaceholders(template).length > 0) return rendered;
      return d.incident.description || d.incident.title;
    case 'timeline': {
      const lines = formatTimeline(reconstructTimeline(d.plan, d.incident.detectedAt, d.events), tz);
      const ended = d.incident.resolvedAt !== null;
      const targets = reportedClocks(d.clocks).map((c) => clockLine(c, d.plan.language, ended));
      return targets.length ? `${lines}\n\nTargets:\n${targets.join('\n')}` : lines;
    }
    case 'impact': {
      const facts = [
        v['incident.services'] ? `- Services affected: ${v['incident.services']}` : '',
        v['incident.tenants'] ? `- Tenants affected: ${v['incident.tenants']}` : '',
      ].filter(Boolean);
      const head = [d.incident.impact, facts.join('\n')].filter(Boolean).join('\n\n');
      return [head, rendered].filter(Boolean).join('\n\n');
    }
    case 'clocks':
      return reportedClocks(d.clocks)
        .map((c) => clockLine(c, d.plan.language, d.incident.resolvedAt !== null))
        .join('\n');
    case 'action_items':
      // Rendered live from the tracked items (documentBody); what is stored is the writer's notes.
      return '';
    default:
      return rendered;
  }
}

/** The draft a resolved incident starts with, from the plan's post-mortem template. */
export function buildDraft(pm: Postmortem, d: DraftInput): Draft {
  const lang = d.plan.language;
  const v = vars(d);
  const t = pm.template;
  return {
    title: renderTemplate(pick(t.title, lang), v).text,
    headingLevel: t.heading_level,
    preamble: t.preamble ? renderTemplate(pick(t.preamble, lang), v).text : '',
    sections: t.sections.map((s) => {
      const template = s.body ? pick(s.body, lang) : '';
      const body = prefillBody(d, s.prefill, template);
      return {
        key: s.key,
        title: pick(s.title, lang),
        body,
        prefill: s.prefill,
        required: s.required,
        prompt: s.prefill === 'action_items' ? template : body,
      };
    }),
  };
}

export type ActionItemLine = {
  number: number;
  title: string;
  owner: string;
  dueOn: string | null;
  priority: string;
  status: string;
  trackerUrl: string | null;
};

const cell = (s: string) => s.replaceAll('|', '\\|').replace(/\s+/g, ' ');

function columnValue(column: string, a: ActionItemLine): string {
  const c = column.toLowerCase();
  if (/owner|pic|penanggung/.test(c)) return a.owner || '-';
  if (/deadline|due|tenggat/.test(c)) return a.dueOn ?? '-';
  if (/priorit/.test(c)) return a.priority;
  if (/status/.test(c)) return a.status;
  if (/link|tracker|ticket|url/.test(c)) return a.trackerUrl ?? '-';
  return a.trackerUrl ? `[${a.title}](${a.trackerUrl})` : a.title;
}

/** Action items in the plan's format: a table with its columns, or a checklist. */
export function renderActionItems(pm: Postmortem, items: ActionItemLine[], prompt: string): string {
  if (items.length === 0) return prompt;
  const fmt = pm.action_items;
  if (fmt.format === 'table') {
    const cols = (fmt.columns ?? ['Action', 'Owner', 'Deadline', 'Priority']).map((c) => pick(c));
    const rows = items.map((a) => `| ${cols.map((c) => cell(columnValue(c, a))).join(' | ')} |`);
    return [
      `| ${cols.join(' | ')} |`,
      `|${cols.map((c) => '-'.repeat(c.length + 2)).join('|')}|`,
      ...rows,
    ].join('\n');
  }
  return items
    .map((a) => {
      const done = a.status === 'done' ? 'x' : ' ';
      const title = a.trackerUrl ? `[${a.title}](${a.trackerUrl})` : a.title;
      return `- [${done}] ${title} (${a.priority}) - Owner: ${a.owner || '-'} - Due: ${a.dueOn ?? '-'}`;
    })
    .join('\n');
}

export type DocumentParts = {
  title: string;
  headingLevel: number;
  preamble: string;
  sections: StoredSection[];
};

/** The Markdown document: title, preamble, then each section one heading level below. */
export function documentBody(pm: Postmortem, doc: DocumentParts, items: ActionItemLine[]): string {
  const h = '#'.repeat(doc.headingLevel);
  // Seed 004 writes its Date/Duration/Severity/Author lines straight under the title.
  const parts = [doc.preamble ? `${h} ${doc.title}\n${doc.preamble}` : `${h} ${doc.title}`];
  for (const s of doc.sections) {
    let body = s.body;
    if (s.prefill === 'action_items') {
      const list = renderActionItems(pm, items, s.prompt);
      body = [list, s.body].filter(Boolean).join('\n\n');
    }
    parts.push(body ? `${h}# ${s.title}\n${body}` : `${h}# ${s.title}`);
  }
  return `${parts.join('\n\n')}\n`;
}

export function frontMatter(meta: Record<string, unknown>): string {
  const clean = Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined));
  return `---\n${stringify(clean, { lineWidth: 0 }).trimEnd()}\n---\n\n`;
}

/** A section counts as written once it is not empty and not just the template's prompt. */
export function isWritten(s: StoredSection): boolean {
  const body = s.body.trim();
  if (!body) return false;
  if (s.prefill !== 'action_items' && body === s.prompt.trim() && /\[[^\]]+\]/.test(body)) return false;
  return !/^\[[^\]]*\]$/.test(body);
}
