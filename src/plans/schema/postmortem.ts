import { z } from 'zod';
import { KeySchema, TextSchema } from './primitives.ts';

/** What Siaga fills a section with from the incident, before people edit it. */
export const PREFILLS = ['none', 'summary', 'timeline', 'impact', 'clocks', 'action_items'] as const;

export const PostmortemSectionSchema = z.strictObject({
  key: KeySchema,
  title: TextSchema,
  /** Starting content, with {{placeholders}}. */
  body: TextSchema.optional(),
  prefill: z.enum(PREFILLS).default('none'),
  guidance: TextSchema.optional(),
  required: z.boolean().default(false),
});
export type PostmortemSection = z.output<typeof PostmortemSectionSchema>;

export const PostmortemSchema = z.strictObject({
  blameless: z.boolean().default(true),
  /** Where the exported file goes, relative to an export root ("docs/postmortem/{{incident.number}}.md"). */
  path: z.string().optional(),
  template: z.strictObject({
    title: TextSchema,
    heading_level: z.union([z.literal(1), z.literal(2)]).default(1),
    /** Lines under the title, before the first section (seed 004's **Date**, **Severity**, …). */
    preamble: TextSchema.optional(),
    sections: z.array(PostmortemSectionSchema).min(1),
  }),
  action_items: z
    .strictObject({
      priorities: z.array(z.string().min(1)).min(1).default(['P0', 'P1', 'P2']),
      format: z.enum(['table', 'checklist']).default('table'),
      columns: z.array(TextSchema).optional(),
    })
    .prefault({}),
  reviewers: z.array(KeySchema).optional(),
});
export type Postmortem = z.output<typeof PostmortemSchema>;
