#!/usr/bin/env node
// Verifies a Siaga audit export (JSON Lines) without Siaga: only Node's crypto and JSON.
// Usage: node scripts/verify-audit-export.mjs audit.jsonl    (exit 0 intact, 1 broken, 2 usage)
//
// Each line is { seq, workspace_id, at, actor, action, subject_type, subject_id, data,
// prev_hash, hash }. hash = SHA-256 (hex) of the canonical JSON of
// { v: 1, workspace_id, at, actor, action, subject_type, subject_id, data, prev_hash }:
// object keys sorted, no whitespace. The first record's prev_hash is 64 zeros; each later
// record's prev_hash is the previous record's hash, and seq counts up by one from 1.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

function canonical(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: verify-audit-export.mjs FILE.jsonl');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
let prev = '0'.repeat(64);
let expectSeq = 1;
for (const [i, line] of lines.entries()) {
  const r = JSON.parse(line);
  const { seq, hash, ...rest } = r;
  const content = { v: 1, ...rest };
  const computed = createHash('sha256').update(canonical(content)).digest('hex');
  const where = `line ${i + 1} (seq ${seq})`;
  if (seq !== expectSeq) {
    console.log(`BROKEN at ${where}: expected seq ${expectSeq}`);
    process.exit(1);
  }
  if (computed !== hash) {
    console.log(`BROKEN at ${where}: content does not match its hash`);
    process.exit(1);
  }
  if (r.prev_hash !== prev) {
    console.log(`BROKEN at ${where}: does not link to the previous record`);
    process.exit(1);
  }
  prev = hash;
  expectSeq += 1;
}
console.log(`OK ${lines.length} records, last hash ${prev}`);
