import { z } from 'zod';
import { ChecklistItemSchema } from './checklists.ts';
import { DurationSchema, KeySchema, TextSchema } from './primitives.ts';

export const PhaseSchema = z.strictObject({
  key: KeySchema.describe('Phase key: "triage", "containment"'),
  label: TextSchema.describe('Name of the phase'),
  description: TextSchema.optional().describe('What the phase is for'),
  starts: DurationSchema.optional().describe(
    "When the phase is expected to start, as an offset from detection (the window's opening)",
  ),
  target: z
    .union([DurationSchema, z.record(KeySchema, DurationSchema)])
    .optional()
    .describe(
      'When the phase should be complete, as an offset from detection; one duration, or one per severity (a severity left out has no target for this phase)',
    ),
  actions: z.array(TextSchema).optional().describe('What responders do in this phase, in order'),
  checklist: z.array(ChecklistItemSchema).optional().describe('Tasks of this phase'),
  checklists: z
    .array(KeySchema)
    .optional()
    .describe('Shared checklists (by key) whose items become tasks of this phase'),
  sources: z
    .array(TextSchema)
    .optional()
    .describe('Where incidents come from in this phase: monitors, alert sources, user reports'),
  runbooks: z
    .array(KeySchema)
    .optional()
    .describe('Ordered procedures (runbooks, by key) to follow in this phase'),
});
export type Phase = z.output<typeof PhaseSchema>;
