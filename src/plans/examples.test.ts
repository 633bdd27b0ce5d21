import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlan } from './parse.ts';
import { formatProblems } from './problems.ts';
import type { Plan } from './regimes.ts';
import { CLARIO } from './seed-facts/clario.ts';
import type { Fact } from './seed-facts/helpers.ts';
import { MIRROR } from './seed-facts/mirror.ts';
import { PROVIDER_SYNC } from './seed-facts/provider-sync.ts';
import { REKBERKAN } from './seed-facts/rekberkan.ts';
import { VPN } from './seed-facts/vpn.ts';

const DIR = new URL('../../examples/plans/', import.meta.url);

function load(file: string): Plan {
  const r = parsePlan(readFileSync(new URL(file, DIR), 'utf8'), { filename: file });
  if (!r.ok) throw new Error(formatProblems(r.problems, file).join('\n'));
  return r.plan;
}

describe('example plans', () => {
  it.each(readdirSync(DIR).filter((f) => f.endsWith('.yaml')))('%s parses with zero problems', (file) => {
    const r = parsePlan(readFileSync(new URL(file, DIR), 'utf8'), { filename: file });
    expect(r.ok ? [] : formatProblems(r.problems, file)).toEqual([]);
  });
});

const SEEDS: [seed: string, file: string, facts: Fact[]][] = [
  ['000 Mirror', 'mirror.yaml', MIRROR],
  ['001 Rekberkan', 'rekberkan.yaml', REKBERKAN],
  ['002 Clario', 'clario.yaml', CLARIO],
  ['003 VPN', 'vpn.yaml', VPN],
  ['004 provider-sync', 'provider-sync.yaml', PROVIDER_SYNC],
];

describe.each(SEEDS)('seed %s reproduced in %s', (_seed, file, facts) => {
  const plan = load(file);
  it.each(facts)('%s', (_fact, actual, expected) => {
    expect(actual(plan)).toEqual(expected);
  });
});
