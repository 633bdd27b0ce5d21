import { describe, expect, it } from 'vitest';
import { parsePlan } from './parse.ts';
import { formatProblems, type PlanProblem } from './problems.ts';

/** Lines 1–12 of every plan below; tests append to it so line numbers stay easy to read. */
const BASE = `siaga: plan/v1
key: test
name: Test plan
severities:
  - key: S1
    label: Critical
    response_target: 15m
  - key: S2
    label: High
    response_target: 1h
incident_types:
  - key: outage
    label: Outage
`;

function problems(source: string): PlanProblem[] {
  const r = parsePlan(source);
  if (r.ok) throw new Error('expected problems, the plan parsed');
  return r.problems;
}

describe('parsePlan: valid plans', () => {
  it('parses the base plan with defaults filled in', () => {
    const r = parsePlan(BASE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.problems).toEqual([]);
    expect(r.plan.severities.map((s) => s.key)).toEqual(['S1', 'S2']);
    expect(r.plan.severities[0]!.response_target).toMatchObject({ text: '15m', ms: 15 * 60_000 });
    expect(r.plan.language).toBe('en');
    expect(r.plan.calendar).toEqual({ timezone: 'UTC', weekend: [6, 0], holidays: [] });
    expect(r.plan.communications.audiences).toEqual([]);
  });
});

describe('parsePlan: shape problems', () => {
  it('reports a typo key at the key, with a did-you-mean', () => {
    const src = BASE.replace('    response_target: 1h', '    respone_target: 1h');
    expect(problems(src)).toEqual([
      {
        path: 'severities[1].response_target',
        line: 8,
        column: 5,
        message:
          'required key "response_target" is missing; expected a duration like "15m", "1h30m", "72h", "7d", "1mo", "5bd" (business days) or "immediate"',
      },
      {
        path: 'severities[1].respone_target',
        line: 10,
        column: 5,
        message: 'unknown key "respone_target"; did you mean "response_target"?',
      },
    ]);
  });

  it('lists the known keys when no key is close', () => {
    const [p] = problems(`${BASE}    colour: red\n`);
    expect(p).toEqual({
      path: 'incident_types[0].colour',
      line: 14,
      column: 5,
      message: expect.stringMatching(
        /^unknown key "colour"; known keys here: key, label, description, examples, /,
      ),
    });
  });

  it('reports a bad duration at the value with what was written', () => {
    const src = BASE.replace('response_target: 1h', 'response_target: 1 hour');
    expect(problems(src)).toEqual([
      {
        path: 'severities[1].response_target',
        line: 10,
        column: 22,
        message:
          'expected a duration like "15m", "1h30m", "72h", "7d", "1mo", "5bd" (business days) or "immediate", got "1 hour"',
      },
    ]);
  });

  it('says a number is not a duration, and a key written as a number needs quotes', () => {
    const [p] = problems(BASE.replace('response_target: 1h', 'response_target: 15'));
    expect(p?.message).toMatch(/^expected a duration like .*, got the number 15; give a unit, e.g. "15m"$/);
    expect(p).toMatchObject({ line: 10, column: 22 });
    const [q] = problems(BASE.replace('key: S2', 'key: 2'));
    expect(q).toMatchObject({ path: 'severities[1].key', line: 8, column: 10 });
    expect(q?.message).toMatch(
      /^expected a key .*, got the number 2; write it in quotes \("2"\) to make it text$/,
    );
  });

  it('suggests the closest value of an enumeration', () => {
    const src = BASE.replace('    label: High\n', '    label: High\n    level: pgae\n');
    expect(problems(src)).toEqual([
      {
        path: 'severities[1].level',
        line: 10,
        column: 12,
        message: 'expected one of "page", "ticket", "info", got "pgae"; did you mean "page"?',
      },
    ]);
  });

  it('resolves a union to the option the author meant (a checklist item object)', () => {
    const src = `${BASE}    containment:\n      - text: Fail over\n        rol: ic\n`;
    expect(problems(src)).toEqual([
      {
        path: 'incident_types[0].containment[0].rol',
        line: 16,
        column: 9,
        message: 'unknown key "rol"; did you mean "role"?',
      },
    ]);
  });

  it('names every kind of escalation target when none fits', () => {
    const src = `${BASE}escalation:\n  paths:\n    - key: p\n      label: P\n      steps:\n        - notify: [{ rol: ic }]\n`;
    const [p] = problems(src);
    expect(p).toMatchObject({ path: 'escalation.paths[0].steps[0].notify[0].rol', line: 19, column: 22 });
    expect(p?.message).toMatch(
      /^unknown key "rol"; did you mean "role"\? \(expected a target: one of \{ role: … \}/,
    );
  });

  it('names the kinds of target when a target is empty', () => {
    const src = `${BASE}escalation:\n  paths:\n    - key: p\n      label: P\n      steps:\n        - notify: [{}]\n`;
    expect(problems(src)).toEqual([
      {
        path: 'escalation.paths[0].steps[0].notify[0]',
        line: 19,
        column: 20,
        message:
          'expected a target: one of { role: … }, { schedule: … }, { team: … }, { user: … }, { contact: … }, { audience: … }, got an empty mapping',
      },
    ]);
  });

  it('reports a text that is neither a string nor { en, id }', () => {
    expect(problems(BASE.replace('name: Test plan', 'name: [a, b]'))).toEqual([
      {
        path: 'name',
        line: 3,
        column: 7,
        message: 'expected text (a string, or { en: …, id: … }), got a list',
      },
    ]);
  });

  it('reports a missing required section at the top of the file', () => {
    const src = BASE.slice(0, BASE.indexOf('incident_types:'));
    expect(problems(src)).toEqual([
      {
        path: 'incident_types',
        line: 1,
        column: 1,
        message: 'required key "incident_types" is missing; expected a list',
      },
    ]);
  });
});

describe('parsePlan: YAML problems', () => {
  it('reports a duplicate key at its second occurrence', () => {
    const src = BASE.replace('    label: High\n', '    label: High\n    label: Higher\n');
    expect(problems(src)).toEqual([
      {
        path: 'severities[1].label',
        line: 10,
        column: 5,
        message:
          'duplicate key "label" (first set on line 9); YAML would keep only the last one, so remove or rename one of them',
      },
    ]);
  });

  it('reports a syntax error with its position and nothing after it', () => {
    const src = BASE.replace('name: Test plan', 'name: [Test plan');
    const found = problems(src);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.message.startsWith('YAML syntax error: '))).toBe(true);
    expect(found[0]).toMatchObject({ path: '' });
    expect(found[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('explains an empty file', () => {
    expect(problems('')).toEqual([
      {
        path: '',
        line: 1,
        column: 1,
        message:
          'the plan file is empty: a plan starts with "siaga: plan/v1", then key, name, severities and incident_types',
      },
    ]);
    expect(problems('# only a comment\n')[0]?.message).toMatch(/is empty/);
  });

  it('names the file in the empty-file message when given', () => {
    const r = parsePlan('   \n', { filename: 'ops/plan.yaml' });
    expect(r.ok ? '' : r.problems[0]?.message).toMatch(/^ops\/plan\.yaml is empty/);
  });

  it('explains a list at the top level', () => {
    expect(problems('- key: S1\n- key: S2\n')).toEqual([
      {
        path: '',
        line: 1,
        column: 1,
        message:
          'expected a mapping of plan sections at the top level (siaga:, key:, name:, severities:, …), found a list',
      },
    ]);
  });

  it('refuses another format version without listing shape problems', () => {
    expect(
      problems(BASE.replace('siaga: plan/v1', 'siaga: plan/v2').replace('label: High', 'label: 5')),
    ).toEqual([
      {
        path: 'siaga',
        line: 1,
        column: 8,
        message: 'unsupported format version "plan/v2": this Siaga reads "plan/v1" (write "siaga: plan/v1")',
      },
    ]);
  });

  it('asks for the format version when it is missing, and goes on checking', () => {
    const found = problems(
      BASE.replace('siaga: plan/v1\n', '').replace('response_target: 1h', 'response_target: soon'),
    );
    expect(found.map((p) => [p.path, p.line])).toEqual([
      ['', 1],
      ['severities[1].response_target', 9],
    ]);
    expect(found[0]!.message).toBe('missing format version: add "siaga: plan/v1" as the first line');
  });
});

describe('parsePlan: many problems at once', () => {
  it('reports shape, reference and placeholder problems together, in file order', () => {
    const src = `${BASE}    default_severity: S5
    containment:
      - { text: Page the owner, role: oncall }
  - key: breach
    label: Breach
    severity: S1
roles:
  - key: ic
    label: IC
communications:
  audiences:
    - key: internal
      label: Internal
  templates:
    - key: update
      label: Update
      audience: internal
      body: "{{incident.sevrity}} {{fields.eta}}"
`;
    const found = problems(src);
    expect(found.map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual([
      '14:23 incident_types[0].default_severity',
      '16:39 incident_types[0].containment[0].role',
      '19:5 incident_types[1].severity',
      '31:14 communications.templates[0].body',
      '31:35 communications.templates[0].body',
    ]);
    expect(found[0]!.message).toBe('unknown severity "S5"; known: S1, S2');
    expect(found[1]!.message).toBe('unknown role "oncall"; known: ic');
    expect(found[2]!.message).toBe('unknown key "severity"; did you mean "default_severity"?');
    expect(found[3]!.message).toBe(
      'unknown placeholder "{{incident.sevrity}}"; did you mean "incident.severity"?',
    );
    expect(found[4]!.message).toBe(
      'unknown placeholder "{{fields.eta}}"; add a field with key "eta" to this template\'s fields',
    );
  });

  it('does not call a key unknown when its item is reported invalid', () => {
    const src = BASE.replace('response_target: 1h', 'response_target: later').concat(
      '    default_severity: S2\n',
    );
    expect(problems(src).map((p) => p.path)).toEqual(['severities[1].response_target']);
  });
});

describe('formatProblems', () => {
  it('prints file:line:column, path and message, one line each', () => {
    const found = problems(BASE.replace('response_target: 1h', 'response_target: x'));
    expect(formatProblems(found, 'plan.yaml')).toEqual([
      'plan.yaml:10:22  severities[1].response_target  expected a duration like "15m", "1h30m", "72h", "7d", "1mo", "5bd" (business days) or "immediate", got "x"',
    ]);
    expect(formatProblems([{ path: '', line: 1, column: 1, message: 'empty' }], 'a.yaml')).toEqual([
      'a.yaml:1:1  empty',
    ]);
  });
});
