import { z } from 'zod';
import { KeySchema, TextSchema } from './primitives.ts';

export const RoleSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  responsibilities: z.array(TextSchema).optional(),
  /** The role that runs the incident; at most one role in a plan. */
  commander: z.boolean().default(false),
  /** Who fills it by default (e-mail or plan contact), when the plan names a person or team. */
  default_holder: z.string().optional(),
});
export type Role = z.output<typeof RoleSchema>;
