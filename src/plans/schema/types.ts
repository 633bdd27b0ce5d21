import { z } from 'zod';
import { ChecklistItemSchema } from './checklists.ts';
import { KeySchema, TextSchema } from './primitives.ts';

export const IncidentTypeSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  description: TextSchema.optional(),
  examples: z.array(TextSchema).optional(),
  default_severity: KeySchema.optional(),
  /** Containment steps for this type; become the incident's first tasks. */
  containment: z.array(ChecklistItemSchema).optional(),
  /** Shared checklists (by key) that also become tasks. */
  checklists: z.array(KeySchema).optional(),
  /** Mitigation strategies to consider, shown in the incident room. */
  mitigations: z.array(TextSchema).optional(),
  /** Obligations (regulatory or contractual clocks) that apply to this type. */
  obligations: z.array(KeySchema).optional(),
  /** Roles that must be filled for this type. */
  roles: z.array(KeySchema).optional(),
  runbooks: z.array(KeySchema).optional(),
  escalation: KeySchema.optional(),
});
export type IncidentType = z.output<typeof IncidentTypeSchema>;
