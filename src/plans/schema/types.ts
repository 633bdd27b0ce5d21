import { z } from 'zod';
import { ChecklistItemSchema } from './checklists.ts';
import { KeySchema, TextSchema } from './primitives.ts';

export const IncidentTypeSchema = z.strictObject({
  key: KeySchema.describe('Incident type key: "data_breach", "outage"'),
  label: TextSchema.describe('Name of the type: "Data breach"'),
  description: TextSchema.optional().describe('What counts as this type'),
  examples: z.array(TextSchema).optional().describe('Typical incidents of this type'),
  default_severity: KeySchema.optional().describe(
    'Severity proposed when an incident of this type is declared',
  ),
  containment: z
    .array(ChecklistItemSchema)
    .optional()
    .describe("Containment steps for this type; they become the incident's first tasks"),
  checklists: z.array(KeySchema).optional().describe('Shared checklists (by key) that also become tasks'),
  mitigations: z
    .array(TextSchema)
    .optional()
    .describe('Mitigation strategies to consider, shown in the incident room'),
  obligations: z
    .array(KeySchema)
    .optional()
    .describe('Obligations (regulatory or contractual clocks) that apply to this type'),
  roles: z.array(KeySchema).optional().describe('Roles that must be filled for this type'),
  runbooks: z.array(KeySchema).optional().describe('Runbooks to follow for this type'),
  escalation: KeySchema.optional().describe("Escalation path for this type; wins over the severity's"),
});
export type IncidentType = z.output<typeof IncidentTypeSchema>;
