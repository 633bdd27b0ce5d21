import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPlan } from '../../test/support/incidents.ts';
import { parsePlanOrThrow } from '../plans/index.ts';
import { matchOne } from './match.ts';
import { decide } from './routing.ts';

const alert = (labels: Record<string, string>) => ({
  labels,
  fields: { source: 'integration:prom', status: 'firing', title: 'x' },
});

describe('routing by the example plans', () => {
  it('seed 003 (vpn) maps PAGE / TICKET / INFO to P0 / P1 / P2', () => {
    const plan = parsePlanOrThrow(readPlan('vpn.yaml'));
    expect(['PAGE', 'TICKET', 'INFO'].map((level) => decide(plan, alert({ level })).severity)).toEqual([
      'P0',
      'P1',
      'P2',
    ]);
  });

  it('seed 004 (provider-sync) takes Prometheus severity labels and groups by alertname', () => {
    const plan = parsePlanOrThrow(readPlan('provider-sync.yaml'));
    const d = decide(plan, alert({ alertname: 'ProviderDown', severity: 'critical' }));
    expect(d).toMatchObject({ severity: 'P1', type: 'service_outage', action: 'open' });
    expect(
      decide(plan, alert({ alertname: 'ProviderDown', severity: 'warning', instance: 'b' })).groupKey,
    ).toBe(d.groupKey);
    expect(decide(plan, alert({ alertname: 'Slow', severity: 'unknown' })).severity).toBe('P3');
  });
});

describe('matchers', () => {
  it('regexes are anchored and not_regex is their complement', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{0,6}$/), fc.stringMatching(/^[a-z]{1,3}$/), (value, pattern) => {
        const re = matchOne({ regex: pattern }, value);
        expect(re).toBe(value === pattern);
        expect(matchOne({ not_regex: pattern }, value)).toBe(!re);
      }),
    );
  });
});
