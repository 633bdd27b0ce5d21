import { z } from 'zod';
import { AppliesToSchema, DurationSchema, KeySchema, TargetSchema, TextSchema } from './primitives.ts';

/** A step runs only while its condition holds when it comes due. */
export const STEP_CONDITIONS = ['unacknowledged', 'unresolved', 'always'] as const;

export const EscalationStepSchema = z.strictObject({
  label: TextSchema.optional(),
  /**
   * When this step comes due, measured from the start of the escalation (T+15 is "15m").
   * Without it the step is taken by hand ("escalate"), as in paths that only give an order.
   */
  after: DurationSchema.optional(),
  if: z.enum(STEP_CONDITIONS).default('unacknowledged'),
  notify: z.array(TargetSchema).min(1),
  /** A human judgement that gates the step ("losses over $100k"). */
  condition: TextSchema.optional(),
  duties: z.array(TextSchema).optional(),
});
export type EscalationStep = z.output<typeof EscalationStepSchema>;

export const EscalationPathSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  description: TextSchema.optional(),
  applies_to: AppliesToSchema.optional(),
  /** How many times the whole path runs again after its last step while the condition holds. */
  repeat: z.number().int().min(0).max(10).default(0),
  steps: z.array(EscalationStepSchema).min(1),
});
export type EscalationPath = z.output<typeof EscalationPathSchema>;

/** A role × severity matrix: who is engaged how soon at each severity (null or "-" means not). */
export const EscalationMatrixRowSchema = z.strictObject({
  target: TargetSchema,
  label: TextSchema.optional(),
  by_severity: z.record(KeySchema, z.union([DurationSchema, z.literal('-'), z.null()])),
});
export type EscalationMatrixRow = z.output<typeof EscalationMatrixRowSchema>;

export const EscalationSchema = z.strictObject({
  paths: z.array(EscalationPathSchema).default([]),
  matrix: z
    .strictObject({
      label: TextSchema.optional(),
      /** Whether a matrix step fires only while unacknowledged, or while unresolved. */
      if: z.enum(STEP_CONDITIONS).default('unresolved'),
      rows: z.array(EscalationMatrixRowSchema).min(1),
    })
    .optional(),
});
export type Escalation = z.output<typeof EscalationSchema>;
