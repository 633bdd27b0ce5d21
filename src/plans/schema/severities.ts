import { z } from 'zod';
import { DurationSchema, KeySchema, TextSchema } from './primitives.ts';

/** How loudly a severity is raised: page a person now, open a ticket, or record for information. */
export const LEVELS = ['page', 'ticket', 'info'] as const;

export const SeveritySchema = z.strictObject({
  key: KeySchema.describe('Severity key used everywhere else in the plan: "S1", "P0", "sev2"'),
  label: TextSchema.describe('Name of the level: "Critical"'),
  definition: TextSchema.optional().describe('What makes an incident this severe'),
  examples: z.array(TextSchema).optional().describe('Typical incidents at this level'),
  level: z
    .enum(LEVELS)
    .default('page')
    .describe('How loudly it is raised: page a person now, open a ticket, or info only'),
  response_target: DurationSchema.describe('From detection to acknowledgement: "immediate", "15m", "1bd"'),
  update_every: z
    .record(KeySchema, DurationSchema)
    .optional()
    .describe(
      'How often each audience must get an update while the incident is open (audience key → cadence)',
    ),
  mttr_target: DurationSchema.optional().describe('From detection to resolution'),
  postmortem: z
    .strictObject({
      required: z.boolean().describe('Whether every incident at this level needs a post-mortem'),
      due: DurationSchema.optional().describe('From resolution to a published post-mortem'),
    })
    .optional()
    .describe('Post-mortem policy at this level'),
  external_communication: z
    .boolean()
    .default(false)
    .describe('Whether customers or the public must be told (status page, e-mail)'),
  escalation: KeySchema.optional().describe('Escalation path used by default at this severity'),
  notes: z.array(TextSchema).optional().describe('Anything else responders should know at this level'),
});
export type Severity = z.output<typeof SeveritySchema>;
