import { z } from 'zod';
import { AppliesToSchema, DurationSchema, KeySchema, TargetSchema, TextSchema } from './primitives.ts';

/** A step runs only while its condition holds when it comes due. */
export const STEP_CONDITIONS = ['unacknowledged', 'unresolved', 'always'] as const;

export const EscalationStepSchema = z.strictObject({
  label: TextSchema.optional().describe('Who this step reaches, as people say it'),
  after: DurationSchema.optional().describe(
    'When this step comes due, measured from the start of the escalation (T+15 is "15m"); without it the step is taken by hand',
  ),
  if: z
    .enum(STEP_CONDITIONS)
    .default('unacknowledged')
    .describe('The step runs only while this holds when it comes due'),
  notify: z.array(TargetSchema).min(1).describe('Who is paged'),
  condition: TextSchema.optional().describe('A human judgement that gates the step ("losses over $100k")'),
  duties: z.array(TextSchema).optional().describe('What the people reached at this step do'),
});
export type EscalationStep = z.output<typeof EscalationStepSchema>;

export const EscalationPathSchema = z.strictObject({
  key: KeySchema.describe('Path key, referred to by severities, types and services'),
  label: TextSchema.describe('Name of the path'),
  description: TextSchema.optional().describe('When to use it'),
  applies_to: AppliesToSchema.optional().describe(
    'Used for incidents of these severities, types or services',
  ),
  repeat: z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(0)
    .describe('How many times the whole path runs again after its last step while the condition holds'),
  steps: z.array(EscalationStepSchema).min(1).describe('Ordered steps'),
});
export type EscalationPath = z.output<typeof EscalationPathSchema>;

/** A role × severity matrix: who is engaged how soon at each severity (null or "-" means not). */
export const EscalationMatrixRowSchema = z.strictObject({
  target: TargetSchema.describe('Who this row engages'),
  label: TextSchema.optional().describe('The row as people say it'),
  by_severity: z
    .record(KeySchema, z.union([DurationSchema, z.literal('-'), z.null()]))
    .describe('Severity key → how soon ("immediate", "15m", "1bd"), or "-" for not at all'),
});
export type EscalationMatrixRow = z.output<typeof EscalationMatrixRowSchema>;

export const EscalationSchema = z.strictObject({
  paths: z.array(EscalationPathSchema).default([]).describe('Ordered escalation paths'),
  matrix: z
    .strictObject({
      label: TextSchema.optional().describe('Name of the matrix'),
      if: z
        .enum(STEP_CONDITIONS)
        .default('unresolved')
        .describe('Whether a matrix step fires only while unacknowledged, or while unresolved'),
      rows: z.array(EscalationMatrixRowSchema).min(1).describe('One row per person, role or audience'),
    })
    .optional()
    .describe('A role × severity matrix: who is engaged how soon at each severity'),
});
export type Escalation = z.output<typeof EscalationSchema>;
