import { z } from 'zod';
import { DurationSchema, KeySchema, TextSchema } from './primitives.ts';

/** How loudly a severity is raised: page a person now, open a ticket, or record for information. */
export const LEVELS = ['page', 'ticket', 'info'] as const;

export const SeveritySchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  definition: TextSchema.optional(),
  examples: z.array(TextSchema).optional(),
  level: z.enum(LEVELS).default('page'),
  /** From detection to acknowledgement. */
  response_target: DurationSchema,
  /** How often each audience must get an update while the incident is open (audience key → cadence). */
  update_every: z.record(KeySchema, DurationSchema).optional(),
  /** From detection to resolution. */
  mttr_target: DurationSchema.optional(),
  postmortem: z
    .strictObject({
      required: z.boolean(),
      /** From resolution to a published post-mortem. */
      due: DurationSchema.optional(),
    })
    .optional(),
  /** Whether customers or the public must be told (status page, e-mail). */
  external_communication: z.boolean().default(false),
  /** Escalation path used by default at this severity. */
  escalation: KeySchema.optional(),
  notes: z.array(TextSchema).optional(),
});
export type Severity = z.output<typeof SeveritySchema>;
