/**
 * Writes schema/plan.schema.json from the Zod schema that validates plans, so editors offer
 * completion and hover text for plan files. Run after changing src/plans/schema:
 *
 *   node scripts/gen-plan-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { planJsonSchemaText } from '../src/plans/json-schema.ts';

const target = fileURLToPath(new URL('../schema/plan.schema.json', import.meta.url));
writeFileSync(target, planJsonSchemaText());
console.log(`wrote ${target}`);
