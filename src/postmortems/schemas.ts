import { z } from 'zod';
import { ACTION_STATUSES, POSTMORTEM_STATES } from './tables.ts';

const member = z.string().trim().min(1).max(200).describe("A member's e-mail or user id");
const tag = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'letters, digits, "_", ".", ":" or "-"');

export const PostmortemPatch = z.strictObject({
  version: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('The version you edited; a newer one is a conflict'),
  title: z.string().trim().min(1).max(300).optional(),
  sections: z
    .record(z.string().min(1).max(64), z.string().max(100_000))
    .optional()
    .describe('Section key → Markdown body'),
  author: member.nullable().optional(),
  reviewers: z.array(member).max(20).optional(),
  root_causes: z.array(tag).max(20).optional().describe('Root-cause tags shared by recurring incidents'),
});
export type PostmortemPatch = z.output<typeof PostmortemPatch>;

export const PostmortemListQuery = z.strictObject({ state: z.enum(POSTMORTEM_STATES).optional() });

const isoDate = z.iso.date().describe('YYYY-MM-DD, in the plan’s time zone');
const url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .describe('Link to the ticket in an external tracker (Jira, GitHub, Linear)');

export const ActionItemInput = z.strictObject({
  title: z.string().trim().min(1).max(500),
  owner: member.optional().describe('A member, who gets the overdue reminder'),
  owner_label: z.string().trim().max(200).optional().describe('A team or person outside Siaga ("Dev Team")'),
  priority: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .describe("One of the plan's priorities (P0, P1 or High, Medium…)"),
  due_on: isoDate.optional(),
  tracker_url: url.optional(),
});
export type ActionItemInput = z.output<typeof ActionItemInput>;

export const ActionItemPatch = z.strictObject({
  title: z.string().trim().min(1).max(500).optional(),
  owner: member.nullable().optional(),
  owner_label: z.string().trim().max(200).optional(),
  priority: z.string().trim().min(1).max(32).optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  due_on: isoDate.nullable().optional(),
  tracker_url: url.nullable().optional(),
});
export type ActionItemPatch = z.output<typeof ActionItemPatch>;

export const ActionItemQuery = z.strictObject({
  status: z.enum([...ACTION_STATUSES, 'unfinished']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  owner: member.optional(),
  incident: z.string().max(64).optional(),
});
export type ActionItemQuery = z.output<typeof ActionItemQuery>;

export const RecurrenceInput = z.strictObject({
  of: z.string().trim().min(1).max(64).describe('The earlier incident this one repeats (INC-3)'),
  note: z.string().max(2000).optional(),
});
