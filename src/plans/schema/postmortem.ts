import { z } from 'zod';
import { KeySchema, TextSchema } from './primitives.ts';

/** What Siaga fills a section with from the incident, before people edit it. */
export const PREFILLS = ['none', 'summary', 'timeline', 'impact', 'clocks', 'action_items'] as const;

export const PostmortemSectionSchema = z.strictObject({
  key: KeySchema.describe('Section key'),
  title: TextSchema.describe('Section heading'),
  body: TextSchema.optional().describe(
    'Starting content, with {{placeholders}}; [brackets] are prompts for the writer',
  ),
  prefill: z
    .enum(PREFILLS)
    .default('none')
    .describe('What Siaga fills the section with from the incident, before people edit it'),
  guidance: TextSchema.optional().describe('Advice to the writer, not part of the document'),
  required: z
    .boolean()
    .default(false)
    .describe('The post-mortem cannot be published with this section empty'),
});
export type PostmortemSection = z.output<typeof PostmortemSectionSchema>;

export const PostmortemSchema = z.strictObject({
  blameless: z.boolean().default(true).describe('Post-mortems name systems and decisions, not culprits'),
  path: z
    .string()
    .optional()
    .describe(
      'Where the exported file goes, relative to an export root ("docs/postmortem/{{incident.number}}.md")',
    ),
  template: z
    .strictObject({
      title: TextSchema.describe('Document title, with {{placeholders}}'),
      heading_level: z
        .union([z.literal(1), z.literal(2)])
        .default(1)
        .describe('Heading level of the title; sections are one level below'),
      preamble: TextSchema.optional().describe('Lines under the title, before the first section'),
      sections: z.array(PostmortemSectionSchema).min(1).describe('Sections, in order'),
    })
    .describe('The post-mortem document'),
  action_items: z
    .strictObject({
      priorities: z
        .array(z.string().min(1))
        .min(1)
        .default(['P0', 'P1', 'P2'])
        .describe('Priorities an action item can have'),
      format: z
        .enum(['table', 'checklist'])
        .default('table')
        .describe('How action items are written in the document'),
      columns: z.array(TextSchema).optional().describe('Column headings when the format is a table'),
    })
    .prefault({})
    .describe('How follow-up work is recorded'),
  reviewers: z.array(KeySchema).optional().describe('Roles that review the post-mortem'),
});
export type Postmortem = z.output<typeof PostmortemSchema>;
