import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../shared/canonical.ts';
import { labelFingerprint } from './match.ts';

/** The definition stored fingerprints were made with: SHA-256 of the canonical JSON, 32 hex digits. */
const reference = (labels: Record<string, string>) =>
  createHash('sha256').update(canonicalJson(labels)).digest('hex').slice(0, 32);

describe('labelFingerprint', () => {
  it('is the fingerprint every stored alert already has, for any label set in any key order', () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('alertname', 'instance', '1', '10', '__name__', 'toJSON', 'é', 'Z', 'a b'),
    );
    fc.assert(
      fc.property(fc.dictionary(key, fc.string({ unit: 'binary' })), (labels) => {
        const shuffled = Object.fromEntries(Object.entries(labels).reverse());
        expect(labelFingerprint(labels)).toBe(reference(labels));
        expect(labelFingerprint(shuffled)).toBe(labelFingerprint(labels));
      }),
      { numRuns: 500 },
    );
  });

  it('stays what it was for a known label set', () => {
    // Written down once: a change of algorithm would split every stored alert from its repeats.
    expect(labelFingerprint({ severity: 'critical', instance: 'db-1', alertname: 'DiskFull' })).toBe(
      'a72e7a573dbb4b9482534a9a117bcd76',
    );
  });
});
