import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scope } from '../../src/kernel/verb.ts';
import { runVerb } from '../../src/kernel/verb.ts';
import { applyPlan } from '../../src/plans/store.ts';
import type { TestWorld } from './env.ts';

export const FIXTURE_PLAN = readFileSync(join(import.meta.dirname, '../fixtures/plan.yaml'), 'utf8');

export function readPlan(name: string): string {
  return readFileSync(join(import.meta.dirname, '../../examples/plans', name), 'utf8');
}

export async function withPlan(w: TestWorld, source = FIXTURE_PLAN, scope: Scope = w.admin.scope) {
  return runVerb(w.env, scope, (ctx) => applyPlan(ctx, { source }));
}
