import { z } from 'zod';
import { KeySchema, TextSchema } from './primitives.ts';

export const RoleSchema = z.strictObject({
  key: KeySchema.describe('Role key: "ic", "comms_lead"'),
  label: TextSchema.describe('Name of the role: "Incident Commander"'),
  responsibilities: z.array(TextSchema).optional().describe('What the holder of this role does'),
  commander: z
    .boolean()
    .default(false)
    .describe('The role that runs the incident; at most one role in a plan'),
  default_holder: z
    .string()
    .optional()
    .describe('Who fills it by default (e-mail or plan contact), when the plan names a person or team'),
});
export type Role = z.output<typeof RoleSchema>;
