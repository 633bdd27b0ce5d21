import { describe, expect, it } from 'vitest';
import { parseDuration } from '../shared/duration.ts';
import { parsePlan } from './parse.ts';
import { REGIMES, regime } from './regimes.ts';

const BASE = `siaga: plan/v1
key: test
name: Test plan
severities: [{ key: S1, label: Critical, response_target: 15m }]
incident_types: [{ key: breach, label: Breach }]
`;

function obligations(yaml: string) {
  const r = parsePlan(`${BASE}obligations:\n${yaml}`);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.plan.obligations;
}

describe('the regime library', () => {
  it('holds the regimes of the brief, each complete and with a valid deadline', () => {
    expect(REGIMES.map((r) => r.key)).toEqual([
      'gdpr_art33',
      'gdpr_art34',
      'nis2_early_warning',
      'nis2_notification',
      'nis2_final_report',
      'dora_initial',
      'dora_intermediate',
      'dora_final',
      'uu_pdp_art46',
      'bssn',
      'ojk_initial',
      'ojk_full_report',
      'sec_8k',
      'hipaa',
      'sg_pdpa',
    ]);
    for (const r of REGIMES) {
      expect(parseDuration(r.deadline), r.key).not.toBeNull();
      expect(r.reference.length, r.key).toBeGreaterThan(20);
    }
  });

  it('states the deadlines and clock starts of the table', () => {
    const facts = Object.fromEntries(REGIMES.map((r) => [r.key, `${r.deadline} from ${r.starts_at}`]));
    expect(facts).toEqual({
      gdpr_art33: '72h from detected',
      gdpr_art34: 'immediate from manual',
      nis2_early_warning: '24h from detected',
      nis2_notification: '72h from detected',
      nis2_final_report: '1mo from obligation:nis2_notification',
      dora_initial: '4h from manual',
      dora_intermediate: '72h from obligation:dora_initial',
      dora_final: '1mo from obligation:dora_intermediate',
      uu_pdp_art46: '72h from detected',
      bssn: '24h from detected',
      ojk_initial: '24h from detected',
      ojk_full_report: '5bd from detected',
      sec_8k: '4bd from manual',
      hipaa: '60d from detected',
      sg_pdpa: '3d from manual',
    });
    expect(regime('sec_8k')?.timezone).toBe('America/New_York');
    expect(regime('ojk_full_report')?.timezone).toBe('Asia/Jakarta');
  });

  it('chains every staged regime to a stage that exists', () => {
    for (const r of REGIMES) {
      if (r.starts_at.startsWith('obligation:'))
        expect(regime(r.starts_at.slice('obligation:'.length)), r.key).toBeDefined();
    }
  });
});

describe('obligations with a regime', () => {
  it('take recipient, deadline, clock start and reference from the regime', () => {
    const [o] = obligations('  - { key: authority, label: Tell the authority, regime: gdpr_art33 }\n');
    expect(o).toMatchObject({
      key: 'authority',
      recipient: 'Supervisory authority (data protection)',
      deadline: { text: '72h', ms: 72 * 3600_000 },
      starts_at: 'detected',
      reference: expect.stringMatching(/^GDPR Art\. 33/),
    });
  });

  it('let the plan override any default', () => {
    const [o] = obligations(
      '  - { key: b, label: BSSN, regime: bssn, deadline: 72h, recipient: BSSN, reference: Seed }\n',
    );
    expect(o).toMatchObject({
      deadline: { text: '72h' },
      recipient: 'BSSN',
      starts_at: 'detected',
      reference: 'Seed',
    });
  });

  it('point chained stages at the plan’s own obligation of the previous regime', () => {
    const list = obligations(`  - { key: dora1, label: Initial, regime: dora_initial }
  - { key: dora2, label: Intermediate, regime: dora_intermediate }
  - { key: dora3, label: Final, regime: dora_final }
`);
    expect(list.map((o) => o.starts_at)).toEqual(['manual', 'obligation:dora1', 'obligation:dora2']);
  });

  it('keep a chained start by regime key when the plan uses that key', () => {
    const list = obligations(`  - { key: nis2_notification, label: Notification, regime: nis2_notification }
  - { key: final, label: Final, regime: nis2_final_report }
`);
    expect(list[1]!.starts_at).toBe('obligation:nis2_notification');
    expect(list[1]!.deadline.months).toBe(1);
  });

  it('report a chained stage whose previous stage is missing from the plan', () => {
    const r = parsePlan(`${BASE}obligations:\n  - { key: final, label: Final, regime: dora_final }\n`);
    expect(r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'obligations[0].starts_at: regime dora_final starts its clock when the previous stage is met, but the plan has no obligation "dora_intermediate" nor one with regime: dora_intermediate; add it',
    ]);
  });
});
