import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE,
  extractPlaceholders,
  isKnownPlaceholder,
  malformedPlaceholders,
  renderTemplate,
} from './placeholders.ts';

describe('extractPlaceholders', () => {
  it('finds dotted names once each, in order, with or without spaces', () => {
    expect(extractPlaceholders('{{ incident.title }} at {{now}}; again {{incident.title}}')).toEqual([
      'incident.title',
      'now',
    ]);
  });

  it('ignores what is not a name', () => {
    expect(extractPlaceholders('{{ if x }} {{incident-number}} {{}} {single} [name]')).toEqual([]);
    expect(malformedPlaceholders('{{ if x }} {{incident-number}} {{ ok }}')).toEqual([
      '{{ if x }}',
      '{{incident-number}}',
    ]);
  });
});

describe('renderTemplate', () => {
  it('fills values and leaves missing names visible as [name]', () => {
    const r = renderTemplate('[{{incident.severity}}] {{incident.title}} — next {{next_update}}', {
      'incident.severity': 'S1',
      'incident.title': 'Ledger mismatch',
    });
    expect(r).toEqual({ text: '[S1] Ledger mismatch — next [next_update]', missing: ['next_update'] });
  });

  it('treats an empty string as a value and never expands placeholders inside values', () => {
    const r = renderTemplate('a{{x}}b {{y}}', { x: '', y: '{{x}} $& $1' });
    expect(r).toEqual({ text: 'ab {{x}} $& $1', missing: [] });
  });

  it('does not read inherited properties as values', () => {
    expect(renderTemplate('{{constructor}} {{toString}}', {}).missing).toEqual(['constructor', 'toString']);
  });
});

describe('the catalogue', () => {
  it('names every incident variable the update composer fills, each described', () => {
    const names = CATALOGUE.map((e) => e.name);
    for (const name of [
      'incident.number',
      'incident.title',
      'incident.description',
      'incident.impact',
      'incident.affected',
      'incident.status',
      'incident.status_label',
      'incident.severity',
      'incident.severity_label',
      'incident.type',
      'incident.type_label',
      'incident.phase',
      'incident.phase_label',
      'incident.services',
      'incident.tenants',
      'incident.correlation_ids',
      'incident.detected_at',
      'incident.declared_at',
      'incident.resolved_at',
      'incident.duration',
      'incident.commander',
      'incident.url',
      'next_update',
      'update_cadence',
      'plan.name',
      'recipient.name',
      'now',
      'date',
    ]) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const e of CATALOGUE) expect(e.description.length).toBeGreaterThan(5);
  });

  it('accepts fields.<key> only for the template’s own fields', () => {
    expect(isKnownPlaceholder('fields.eta', ['eta'])).toBe(true);
    expect(isKnownPlaceholder('fields.eta', [])).toBe(false);
    expect(isKnownPlaceholder('incident.number')).toBe(true);
    expect(isKnownPlaceholder('incident.nope')).toBe(false);
  });
});

const NAME = fc
  .array(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('.'));
/** Text that holds no braces at all. */
const PLAIN = fc.string().map((s) => s.replace(/[{}]/g, ''));
/** Text mixing plain runs and placeholders, as templates do. */
const TEMPLATE = fc
  .array(
    fc.oneof(
      PLAIN,
      NAME.map((n) => `{{${n}}}`),
      NAME.map((n) => `{{ ${n} }}`),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

describe('template properties', () => {
  it('leaves text without braces unchanged, whatever the variables', () => {
    fc.assert(
      fc.property(PLAIN, fc.dictionary(NAME, fc.string()), (text, vars) => {
        expect(renderTemplate(text, vars)).toEqual({ text, missing: [] });
        expect(extractPlaceholders(text)).toEqual([]);
      }),
    );
  });

  it('reports as missing exactly the extracted names when nothing is given', () => {
    fc.assert(
      fc.property(TEMPLATE, (text) => {
        expect(renderTemplate(text, {}).missing).toEqual(extractPlaceholders(text));
      }),
    );
  });

  it('fills every extracted name when all are given, leaving no placeholder behind', () => {
    fc.assert(
      fc.property(TEMPLATE, (text) => {
        const vars = Object.fromEntries(extractPlaceholders(text).map((n) => [n, `<${n.length}>`]));
        const r = renderTemplate(text, vars);
        expect(r.missing).toEqual([]);
        expect(extractPlaceholders(r.text)).toEqual([]);
      }),
    );
  });

  it('never throws, on any input', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.dictionary(fc.string(), fc.option(fc.string(), { nil: undefined })),
        (text, vars) => {
          const r = renderTemplate(text, vars);
          expect(typeof r.text).toBe('string');
          extractPlaceholders(text);
          malformedPlaceholders(text);
        },
      ),
    );
  });
});
