import { z } from 'zod';
import { AppliesToSchema, DurationSchema, KeySchema, TextSchema } from './primitives.ts';

/**
 * What starts an obligation's clock: an incident event, a person's decision ("manual": the
 * moment someone establishes high risk, classifies the incident as major, determines
 * materiality), or another obligation being met ("obligation:dora_initial").
 */
export const CLOCK_STARTS = ['detected', 'declared', 'acknowledged', 'resolved', 'manual'] as const;

export const ObligationStartSchema = z.union([
  z.enum(CLOCK_STARTS),
  z.string().regex(/^obligation:[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected "obligation:<key>"'),
]);

export const ObligationSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  /** A regime from Siaga's library (gdpr_art33, bssn, ojk_initial, …) supplying defaults. */
  regime: KeySchema.optional(),
  /** Who must be told. */
  recipient: TextSchema.optional(),
  deadline: DurationSchema.optional(),
  starts_at: ObligationStartSchema.optional(),
  applies_to: AppliesToSchema.optional(),
  /** The role responsible for meeting it. */
  owner: KeySchema.optional(),
  /** Template to draft the notice from. */
  template: KeySchema.optional(),
  description: TextSchema.optional(),
  reference: z.string().optional(),
});
export type ObligationInput = z.output<typeof ObligationSchema>;
