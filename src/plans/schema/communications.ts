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
  key: KeySchema,
  type: z.enum(CHANNEL_TYPES),
  label: TextSchema.optional(),
  /** Where on that channel: "#incidents", "status.example.com", an address list. */
  target: z.string().optional(),
  /** Only for these severities (seed 001: social media for S1 only). */
  applies_to: AppliesToSchema.optional(),
  /** Drill incidents are sent here instead of the real channel. */
  drill_target: z.string().optional(),
});
export type Channel = z.output<typeof ChannelSchema>;

export const AudienceSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  description: TextSchema.optional(),
  /** Outside the company (customers, regulators, partners, the public). */
  external: z.boolean().default(false),
  channels: z.array(KeySchema).optional(),
  /** Default update cadence for this audience; a severity's update_every overrides it. */
  update_every: DurationSchema.optional(),
});
export type Audience = z.output<typeof AudienceSchema>;

export const TemplateFieldSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  required: z.boolean().default(false),
  multiline: z.boolean().default(false),
  default: z.string().optional(),
});
export type TemplateField = z.output<typeof TemplateFieldSchema>;

export const TemplateSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  audience: KeySchema,
  channels: z.array(KeySchema).optional(),
  applies_to: AppliesToSchema.optional(),
  /** Subject line (e-mail); may hold placeholders. */
  subject: TextSchema.optional(),
  /** Message body with {{placeholders}}: incident fields and this template's own fields. */
  body: TextSchema,
  /** What the writer fills in (what happened, what you should do, …). */
  fields: z.array(TemplateFieldSchema).optional(),
});
export type Template = z.output<typeof TemplateSchema>;

export const CommunicationsSchema = z.strictObject({
  audiences: z.array(AudienceSchema).default([]),
  channels: z.array(ChannelSchema).default([]),
  templates: z.array(TemplateSchema).default([]),
});
export type Communications = z.output<typeof CommunicationsSchema>;
