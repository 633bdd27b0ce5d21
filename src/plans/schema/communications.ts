import { z } from 'zod';
import { AppliesToSchema, DurationSchema, KeySchema, TextSchema } from './primitives.ts';

export const CHANNEL_TYPES = [
  'slack',
  'teams',
  'email',
  'telegram',
  'ntfy',
  'webhook',
  'statuspage',
  'sms',
  'voice',
  'social',
  'meeting',
  'docs',
  'other',
] as const;

export const ChannelSchema = z.strictObject({
  key: KeySchema.describe('Channel key, referred to by audiences and templates'),
  type: z.enum(CHANNEL_TYPES).describe('Kind of channel'),
  label: TextSchema.optional().describe('Name shown to people'),
  target: z
    .string()
    .optional()
    .describe('Where on that channel: "#incidents", "status.example.com", an address list'),
  applies_to: AppliesToSchema.optional().describe(
    'Only for these severities, types or services (social media for S1 only)',
  ),
  drill_target: z.string().optional().describe('Drill incidents are sent here instead of the real channel'),
});
export type Channel = z.output<typeof ChannelSchema>;

export const AudienceSchema = z.strictObject({
  key: KeySchema.describe('Audience key: "internal", "customers", "regulators"'),
  label: TextSchema.describe('Name of the audience'),
  description: TextSchema.optional().describe('Who they are and when they are told'),
  external: z
    .boolean()
    .default(false)
    .describe('Outside the company (customers, regulators, partners, the public)'),
  channels: z.array(KeySchema).optional().describe('Channels (by key) this audience is reached on'),
  update_every: DurationSchema.optional().describe(
    "Default update cadence for this audience; a severity's update_every overrides it",
  ),
  owner: KeySchema.optional().describe(
    'The role (by key) that owes this audience its updates and is reminded when one is due; default a comms role, else the commander',
  ),
});
export type Audience = z.output<typeof AudienceSchema>;

export const TemplateFieldSchema = z.strictObject({
  key: KeySchema.describe('Field key; the template uses it as {{fields.<key>}}'),
  label: TextSchema.describe('What the writer is asked for'),
  required: z.boolean().default(false).describe('The update cannot be sent without it'),
  multiline: z.boolean().default(false).describe('Offer a text area rather than a line'),
  default: z.string().optional().describe('Value used when the writer leaves it empty'),
});
export type TemplateField = z.output<typeof TemplateFieldSchema>;

export const TemplateSchema = z.strictObject({
  key: KeySchema.describe('Template key'),
  label: TextSchema.describe('Name of the template'),
  audience: KeySchema.describe('Audience (by key) the message is for'),
  channels: z
    .array(KeySchema)
    .optional()
    .describe("Channels (by key) it is sent on; default: the audience's"),
  applies_to: AppliesToSchema.optional().describe('Only offered for these severities, types or services'),
  subject: TextSchema.optional().describe('Subject line (e-mail); may hold placeholders'),
  body: TextSchema.describe(
    "Message body with {{placeholders}}: incident variables from the catalogue and this template's own {{fields.<key>}}",
  ),
  fields: z
    .array(TemplateFieldSchema)
    .optional()
    .describe('What the writer fills in (what happened, what you should do, …)'),
});
export type Template = z.output<typeof TemplateSchema>;

export const CommunicationsSchema = z.strictObject({
  audiences: z.array(AudienceSchema).default([]).describe('Who is told'),
  channels: z.array(ChannelSchema).default([]).describe('Where messages go'),
  templates: z.array(TemplateSchema).default([]).describe('What is said'),
});
export type Communications = z.output<typeof CommunicationsSchema>;
