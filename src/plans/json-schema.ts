/**
 * The plan format as JSON Schema, for editors (yaml-language-server completes keys and shows
 * descriptions as people type) and for tools outside Siaga. Generated from the Zod schema that
 * validates plans, input side: what a person writes, before defaults and durations are resolved.
 */
import { z } from 'zod';
import { ChecklistItemSchema } from './schema/checklists.ts';
import { PLAN_FORMAT, PlanSchema } from './schema/plan.ts';
import {
  AppliesToSchema,
  DurationSchema,
  IsoDateSchema,
  KeySchema,
  MatcherSchema,
  TargetSchema,
  TextSchema,
} from './schema/primitives.ts';

export const PLAN_SCHEMA_ID = 'https://siaga.dev/schema/plan.schema.json';

/** Building blocks used all over the plan, written once under $defs and referred to by name. */
const SHARED = new Map<z.core.$ZodType, string>([
  [TextSchema, 'Text'],
  [DurationSchema, 'Duration'],
  [KeySchema, 'Key'],
  [IsoDateSchema, 'Date'],
  [TargetSchema, 'Target'],
  [AppliesToSchema, 'AppliesTo'],
  [MatcherSchema, 'Matcher'],
  [ChecklistItemSchema, 'ChecklistItem'],
]);

/**
 * The global registry's descriptions plus ids for the shared blocks; ids are given only here so
 * that other JSON Schema output (the HTTP API's OpenAPI) is not affected.
 */
function metadata(): z.core.$ZodRegistry<Record<string, unknown>> {
  const reg = z.registry<Record<string, unknown>>();
  reg.get = ((schema: z.core.$ZodType) => {
    const meta = z.globalRegistry.get(schema);
    const id = SHARED.get(schema);
    return id ? { ...meta, id } : meta;
  }) as typeof reg.get;
  return reg;
}

export function planJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(PlanSchema, {
    io: 'input',
    unrepresentable: 'any',
    metadata: metadata(),
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: PLAN_SCHEMA_ID,
    title: `Siaga incident response plan (${PLAN_FORMAT})`,
    description:
      'An incident response plan that Siaga runs: severities, roles, incident types, phases, escalation, communications, obligations, runbooks and post-mortems. See docs/plan-format.md.',
    ...rest,
  };
}

/** The file's text, byte for byte as committed; a test compares the two. */
export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
