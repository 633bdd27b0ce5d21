import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Language, pick } from '../shared/text.ts';
import { parsePlanOrThrow } from './parse.ts';
import type { Plan } from './regimes.ts';
import { renderPlanMarkdown } from './render.ts';

const DIR = new URL('../../examples/plans/', import.meta.url);
const EXAMPLES = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

function load(file: string): Plan {
  return parsePlanOrThrow(readFileSync(new URL(file, DIR), 'utf8'), file);
}

/** Fields whose values are rendered as words or symbols rather than verbatim. */
const NOT_VERBATIM = new Set([
  'siaga',
  'language',
  'level',
  'if',
  'kind',
  'set',
  'starts_at',
  'prefill',
  'format',
  'type',
  'action',
  'on_all_resolved',
  'weekend',
]);

/** Every string the plan holds, with where it is, in the document's language. */
function strings(value: unknown, lang: Language, path: string, out: [string, string][]): [string, string][] {
  if (typeof value === 'string') {
    out.push([path, value]);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      strings(v, lang, `${path}[${i}]`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.ms === 'number' && typeof o.text === 'string') return out; // a duration, rendered in words
    const keys = Object.keys(o);
    if (keys.length > 0 && keys.every((k) => k === 'en' || k === 'id')) {
      out.push([path, pick(o as { en?: string; id?: string }, lang)]);
      return out;
    }
    for (const [k, v] of Object.entries(o)) {
      if (!NOT_VERBATIM.has(k)) strings(v, lang, `${path}.${k}`, out);
    }
  }
  return out;
}

describe.each(EXAMPLES)('renderPlanMarkdown(%s)', (file) => {
  const plan = load(file);

  it.each(['en', 'id'] as const)('shows every text of the plan, verbatim (%s)', (lang) => {
    const doc = renderPlanMarkdown(plan, lang);
    const missing = strings(plan, lang, '', [])
      .flatMap(([path, s]) => s.split('\n').map((line): [string, string] => [path, line.trim()]))
      .filter(([, line]) => line !== '' && !doc.includes(line) && !doc.includes(line.replace(/\|/g, '\\|')));
    expect(missing).toEqual([]);
  });

  it('names every severity, role, template, runbook command and obligation', () => {
    const doc = renderPlanMarkdown(plan, plan.language);
    for (const s of plan.severities) expect(doc).toContain(`\`${s.key}\``);
    for (const r of plan.roles) expect(doc).toContain(`${pick(r.label, plan.language)} (\`${r.key}\`)`);
    for (const t of plan.communications.templates) {
      expect(doc).toContain(pick(t.body, plan.language));
      expect(doc).toContain(`\`${t.key}\``);
    }
    for (const rb of plan.runbooks) {
      for (const step of rb.steps) {
        for (const line of step.command?.split('\n') ?? []) expect(doc).toContain(line);
      }
    }
    for (const o of plan.obligations) {
      expect(doc).toContain(`${pick(o.label, plan.language)} (\`${o.key}\`)`);
      expect(doc).toContain(pick(o.recipient, plan.language));
    }
  });

  it('puts commands and templates in fenced code blocks', () => {
    const doc = renderPlanMarkdown(plan, 'en');
    for (const rb of plan.runbooks) {
      for (const step of rb.steps) {
        if (!step.command) continue;
        const indented = step.command
          .split('\n')
          .map((l) => `   ${l}`)
          .join('\n');
        expect(doc).toContain(`\`\`\`${step.language ?? 'bash'}\n${indented}\n   \`\`\``);
      }
    }
    for (const t of plan.communications.templates) {
      expect(doc).toContain(`\`\`\`text\n${pick(t.body, 'en').replace(/\n$/, '')}\n\`\`\``);
    }
  });
});

describe('headings', () => {
  it('are in the language asked for', () => {
    const plan = load('rekberkan.yaml');
    const en = renderPlanMarkdown(plan, 'en');
    const id = renderPlanMarkdown(plan, 'id');
    for (const h of [
      '## Severity levels',
      '## Roles and responsibilities',
      '## Incident types',
      '## Phases',
      '## Escalation',
    ]) {
      expect(en).toContain(h);
    }
    for (const h of [
      '## Tingkat severity',
      '## Peran dan tanggung jawab',
      '## Tipe insiden',
      '## Tahapan',
      '## Eskalasi',
    ]) {
      expect(id).toContain(h);
    }
    expect(id).not.toContain('## Roles and responsibilities');
  });

  it('pick each text in that language', () => {
    const plan = load('mirror.yaml');
    expect(renderPlanMarkdown(plan, 'id')).toContain('### Keamanan Data (`keamanan_data`)');
    expect(renderPlanMarkdown(plan, 'en')).toContain('### Data security (`keamanan_data`)');
  });
});

describe('tables and matrices', () => {
  it('renders seed 004’s escalation matrix as a role × severity table', () => {
    const doc = renderPlanMarkdown(load('provider-sync.yaml'), 'en');
    expect(doc).toContain('| Who | P1 | P2 | P3 | P4 |');
    expect(doc).toContain(
      '| On-call engineer (on-call schedule `on_call`) | immediate | 1 hour | 4 hours | 1 business day |',
    );
    expect(doc).toContain('| Affected users (`affected_users`) | 1 hour | 4 hours | - | - |');
  });

  it('reproduces a post-mortem template with its heading levels', () => {
    const doc = renderPlanMarkdown(load('provider-sync.yaml'), 'en');
    expect(doc).toContain('## Incident Post-Mortem: {{incident.title}}\n\n**Date**: {{date}}');
    expect(doc).toContain('### Action Items');
    const rek = renderPlanMarkdown(load('rekberkan.yaml'), 'en');
    expect(rek).toContain('# Incident Post-Mortem: {{incident.title}}\n\n## Incident Summary');
  });
});
