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
  key: KeySchema.describe('Obligation key'),
  label: TextSchema.describe('Name of the obligation'),
  regime: KeySchema.optional().describe(
    "A regime from Siaga's library (gdpr_art33, nis2_early_warning, dora_initial, uu_pdp_art46, bssn, ojk_initial, sec_8k, …) supplying recipient, deadline and clock start",
  ),
  recipient: TextSchema.optional().describe('Who must be told'),
  deadline: DurationSchema.optional().describe('How long after the clock starts the notice is due'),
  starts_at: ObligationStartSchema.optional().describe(
    'What starts the clock: detected, declared, acknowledged, resolved, manual (a decision), or obligation:<key> (when that one is met)',
  ),
  applies_to: AppliesToSchema.optional().describe('Incidents it applies to, besides the types that list it'),
  owner: KeySchema.optional().describe('The role responsible for meeting it'),
  template: KeySchema.optional().describe('Template to draft the notice from'),
  description: TextSchema.optional().describe('Conditions and how to meet it'),
  reference: z.string().optional().describe('The rule it comes from'),
});
export type ObligationInput = z.output<typeof ObligationSchema>;
