import { describe, expect, it } from 'vitest';
import { closest, distance, unknownMessage } from './suggest.ts';

describe('distance', () => {
  it('counts edits, with a swap of neighbours as one', () => {
    expect(distance('respone_target', 'response_target')).toBe(1);
    expect(distance('repsonse', 'response')).toBe(1);
    expect(distance('', 'abc')).toBe(3);
    expect(distance('same', 'same')).toBe(0);
  });
});

describe('closest', () => {
  it('suggests a near word and nothing for a far one', () => {
    expect(closest('respone_target', ['response_target', 'mttr_target'])).toBe('response_target');
    expect(closest('colour', ['response_target', 'label'])).toBeUndefined();
  });

  it('suggests the one longer key that has the word as a part', () => {
    expect(closest('severity', ['default_severity', 'label'])).toBe('default_severity');
    expect(closest('target', ['response_target', 'mttr_target'])).toBeUndefined();
  });

  it('ignores case when comparing', () => {
    expect(closest('s1', ['S1', 'S2'])).toBe('S1');
  });
});

describe('unknownMessage', () => {
  it('lists what is known and suggests when close', () => {
    expect(unknownMessage('severity', 'S5', ['S1', 'S2', 'S3', 'S4'])).toBe(
      'unknown severity "S5"; known: S1, S2, S3, S4',
    );
    expect(unknownMessage('severity', 'S11', ['S1', 'S2'])).toBe(
      'unknown severity "S11"; did you mean "S1"? known: S1, S2',
    );
    expect(unknownMessage('role', 'finance', ['ic', 'ops'])).toBe('unknown role "finance"; known: ic, ops');
    expect(unknownMessage('role', 'ic', [])).toBe('unknown role "ic"; the plan defines no role keys');
  });
});
