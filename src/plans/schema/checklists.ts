import { z } from 'zod';
import { DurationSchema, KeySchema, TextSchema } from './primitives.ts';

export const ChecklistItemSchema = z.union([
  TextSchema,
  z.strictObject({
    text: TextSchema.describe('The task'),
    role: KeySchema.optional().describe('The role expected to do it'),
    due: DurationSchema.optional().describe('Due this long after detection'),
    switch: KeySchema.optional().describe('A kill-switch this item flips, so the app can offer it in place'),
    runbook: KeySchema.optional().describe('A runbook this item points to'),
  }),
]);
export type ChecklistItem = z.output<typeof ChecklistItemSchema>;

/** A named checklist that several types or phases can share. */
export const ChecklistSchema = z.strictObject({
  key: KeySchema.describe('Checklist key, referred to by incident types and phases'),
  label: TextSchema.describe('Name of the checklist'),
  description: TextSchema.optional().describe('When to use it'),
  items: z.array(ChecklistItemSchema).min(1).describe('The tasks, in order'),
});
export type Checklist = z.output<typeof ChecklistSchema>;
