import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlanOrThrow } from '../plans/parse.ts';
import { formatProblems } from '../plans/problems.ts';
import { parseScenario } from './scenario.ts';

const rekberkan = parsePlanOrThrow(readFileSync('examples/plans/rekberkan.yaml', 'utf8'), 'rekberkan.yaml');

const MIN = `siaga: drill/v1
plan: rekberkan
title: DRILL
type: security
severity: S2
steps:
  - at: 0s
    declare: {}
  - at: 1m
    ack: true
`;

function problems(source: string, plan = true): string[] {
  const r = parseScenario(source, plan ? { plan: rekberkan } : {});
  return r.ok ? [] : formatProblems(r.problems, 'drill.yaml');
}

describe('drill scenario files', () => {
  it.each(['ledger-mismatch', 'audit-chain-tamper', 'account-takeover'])(
    'examples/drills/%s.yaml is valid against rekberkan.yaml',
    (name) => {
      const r = parseScenario(readFileSync(`examples/drills/${name}.yaml`, 'utf8'), { plan: rekberkan });
      expect(r.ok ? [] : formatProblems(r.problems, name)).toEqual([]);
      if (!r.ok) return;
      const actions = r.scenario.steps.flatMap((s) =>
        Object.keys(s).filter((k) => k !== 'at' && k !== 'expect'),
      );
      for (const a of ['declare', 'assign', 'tick', 'note', 'update', 'status']) expect(actions).toContain(a);
      expect(r.scenario.steps.some((s) => s.assign?.role === 'ic')).toBe(true);
      expect(
        r.scenario.steps.at(-1)?.status?.to ?? r.scenario.steps.findLast((s) => s.status)?.status?.to,
      ).toBe('resolved');
    },
  );

  it('turns offsets into milliseconds', () => {
    const r = parseScenario(MIN);
    expect(r.ok && r.scenario.steps.map((s) => s.at)).toEqual([0, 60_000]);
  });

  it('rejects unknown keys with a did-you-mean at their line:column', () => {
    const out = problems(MIN.replace('    ack: true', '    akc: true'));
    expect(out).toContainEqual(
      expect.stringMatching(/^drill\.yaml:10:5 +steps\[1\]\.akc +.*did you mean "ack"/),
    );
    expect(problems(MIN.replace('title:', 'titel:')).join('\n')).toMatch(
      /drill\.yaml:3:1 +titel .*did you mean "title"/,
    );
  });

  it('reports bad offsets, steps out of order and two actions in one step', () => {
    expect(problems(MIN.replace('at: 1m', 'at: soon'))).toEqual([
      expect.stringMatching(/^drill\.yaml:9:9 +steps\[1\]\.at +expected an offset/),
    ]);
    const late = `${MIN}  - at: 30s\n    note: early\n`;
    expect(problems(late)).toEqual([
      expect.stringMatching(/^drill\.yaml:11:9 +steps\[2\]\.at +steps run in time order/),
    ]);
    const two = MIN.replace('    ack: true', '    ack: true\n    note: both');
    expect(problems(two)).toEqual([
      expect.stringMatching(/^drill\.yaml:9:5 +steps\[1\] +a step does one thing; this one has ack and note/),
    ]);
  });

  it('needs the incident declared before acting on it', () => {
    const out = problems(MIN.replace('    declare: {}', '    note: first'));
    expect(out).toContainEqual(
      expect.stringMatching(/drill\.yaml:8:5 +steps\[0\]\.note +"note" needs the incident/),
    );
    expect(out).toContainEqual(expect.stringMatching(/no step declares the drill incident/));
  });

  it('checks every key against the plan', () => {
    const bad = MIN.replace('type: security', 'type: securty').replace(
      '    ack: true',
      '    assign: { role: commander }\n  - at: 2m\n    update: { audience: internal }',
    );
    const out = problems(bad);
    expect(out).toContainEqual(
      expect.stringMatching(
        /drill\.yaml:4:7 +type +unknown incident type "securty".*did you mean "security"/,
      ),
    );
    expect(out).toContainEqual(
      expect.stringMatching(/drill\.yaml:10:21 +steps\[1\]\.assign\.role +unknown role "commander"/),
    );
    expect(out).toContainEqual(
      expect.stringMatching(
        /drill\.yaml:12:13 +steps\[2\]\.update +.*no template for audience "internal": give a body/,
      ),
    );
    const field = `${MIN}  - at: 2m\n    update: { audience: users, fields: { what: x } }\n`;
    expect(problems(field)).toEqual([
      expect.stringMatching(
        /drill\.yaml:12:42 +steps\[2\]\.update\.fields\.what +template "status_update" has no field "what"; its fields: none/,
      ),
    ]);
    expect(problems(MIN.replace('plan: rekberkan', 'plan: other'))).toEqual([
      expect.stringMatching(/drill\.yaml:2:7 +plan +the scenario is for plan "other", not "rekberkan"/),
    ]);
    expect(problems(MIN.replace('plan: rekberkan', 'plan: other'), false)).toEqual([]);
  });

  it('reports YAML syntax errors and duplicate keys', () => {
    expect(problems(MIN.replace('title: DRILL', 'title: DRILL\ntitle: again'))[0]).toMatch(
      /drill\.yaml:4:1 +title +duplicate key "title"/,
    );
    expect(problems('siaga: [\n')[0]).toMatch(/^drill\.yaml:\d+:\d+ +YAML syntax error/);
  });
});
