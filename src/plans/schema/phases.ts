import { z } from 'zod';
import { ChecklistItemSchema } from './checklists.ts';
import { DurationSchema, KeySchema, TextSchema } from './primitives.ts';

export const PhaseSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  description: TextSchema.optional(),
  /** When the phase is expected to start, as an offset from detection (the window's opening). */
  starts: DurationSchema.optional(),
  /**
   * When the phase should be complete, as an offset from detection; either one duration or one
   * per severity (a severity left out has no target for this phase).
   */
  target: z.union([DurationSchema, z.record(KeySchema, DurationSchema)]).optional(),
  actions: z.array(TextSchema).optional(),
  checklist: z.array(ChecklistItemSchema).optional(),
  checklists: z.array(KeySchema).optional(),
});
export type Phase = z.output<typeof PhaseSchema>;
