import { z } from 'zod';
import { KeySchema, MatcherSchema, TextSchema } from './primitives.ts';

export const RunbookStepSchema = z.strictObject({
  title: TextSchema.describe('What the step does'),
  text: TextSchema.optional().describe('Explanation'),
  command: z
    .string()
    .optional()
    .describe('A command a person runs by hand, shown verbatim with a copy button'),
  language: z.enum(['bash', 'sql', 'text']).optional().describe('Language of the command, for highlighting'),
  items: z.array(TextSchema).optional().describe('Bullet points under the step'),
  critical: z.boolean().default(false).describe('A warning shown prominently ("Do not delete evidence")'),
  action: z
    .strictObject({
      switch: KeySchema.describe('Kill-switch (by key)'),
      set: z.enum(['on', 'off']).describe('Turn it on or off'),
      reason: z.string().optional().describe('Reason recorded with the change'),
    })
    .optional()
    .describe('An automated action Siaga can take from the step'),
});
export type RunbookStep = z.output<typeof RunbookStepSchema>;

export const RunbookSchema = z.strictObject({
  key: KeySchema.describe('Runbook key'),
  label: TextSchema.describe('Name of the runbook'),
  description: TextSchema.optional().describe('What it is for'),
  trigger: z
    .strictObject({
      text: TextSchema.optional().describe('The trigger as people say it ("Daily reconciliation job fails")'),
      alert: z
        .record(z.string(), MatcherSchema)
        .optional()
        .describe('Alerts whose labels match open this runbook'),
      types: z.array(KeySchema).optional().describe('Incident types this runbook is for'),
    })
    .optional()
    .describe('When to use it'),
  steps: z.array(RunbookStepSchema).min(1).describe('Ordered steps'),
});
export type Runbook = z.output<typeof RunbookSchema>;
