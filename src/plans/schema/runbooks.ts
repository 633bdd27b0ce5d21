import { z } from 'zod';
import { KeySchema, MatcherSchema, TextSchema } from './primitives.ts';

export const RunbookStepSchema = z.strictObject({
  title: TextSchema,
  text: TextSchema.optional(),
  /** A command a person runs by hand, shown verbatim with a copy button. */
  command: z.string().optional(),
  language: z.enum(['bash', 'sql', 'text']).optional(),
  /** Bullet points under the step. */
  items: z.array(TextSchema).optional(),
  /** A warning shown prominently ("Do not delete evidence"). */
  critical: z.boolean().default(false),
  /** An automated action Siaga can take from the step. */
  action: z
    .strictObject({
      switch: KeySchema,
      set: z.enum(['on', 'off']),
      reason: z.string().optional(),
    })
    .optional(),
});
export type RunbookStep = z.output<typeof RunbookStepSchema>;

export const RunbookSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  description: TextSchema.optional(),
  trigger: z
    .strictObject({
      /** The trigger as people say it ("Daily reconciliation job fails"). */
      text: TextSchema.optional(),
      /** Alerts whose labels match open this runbook. */
      alert: z.record(z.string(), MatcherSchema).optional(),
      types: z.array(KeySchema).optional(),
    })
    .optional(),
  steps: z.array(RunbookStepSchema).min(1),
});
export type Runbook = z.output<typeof RunbookSchema>;
