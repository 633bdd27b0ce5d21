import { z } from 'zod';
import { DurationSchema, KeySchema, TextSchema } from './primitives.ts';

export const ChecklistItemSchema = z.union([
  TextSchema,
  z.strictObject({
    text: TextSchema,
    /** The role expected to do it. */
    role: KeySchema.optional(),
    /** Due this long after detection. */
    due: DurationSchema.optional(),
    /** A kill-switch this item flips, so the app can offer it in place. */
    switch: KeySchema.optional(),
    /** A runbook this item points to. */
    runbook: KeySchema.optional(),
  }),
]);
export type ChecklistItem = z.output<typeof ChecklistItemSchema>;

/** A named checklist that several types or phases can share. */
export const ChecklistSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  description: TextSchema.optional(),
  items: z.array(ChecklistItemSchema).min(1),
});
export type Checklist = z.output<typeof ChecklistSchema>;
