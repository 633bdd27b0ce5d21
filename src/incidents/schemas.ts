import { z } from 'zod';
import { STATUSES } from './tables.ts';

const key = z.string().min(1).max(64);
const shortText = z.string().trim().min(1).max(200);
const longText = z.string().max(20_000);
const list = (max: number) => z.array(z.string().trim().min(1).max(200)).max(max);
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const DeclareInput = z.strictObject({
  title: shortText.describe('What is happening, in a line'),
  description: longText.optional(),
  impact: z.string().max(2000).optional().describe('Who or what is affected, in words'),
  type: key.describe('Incident type key from the active plan'),
  severity: key.optional().describe("Severity key from the plan; defaults to the type's default severity"),
  services: list(50).optional(),
  tenants: list(200).optional(),
  correlation_ids: list(50).optional(),
  detected_at: instant.optional().describe('When the first signal appeared; defaults to now'),
  drill: z.boolean().optional(),
});
export type DeclareInput = z.output<typeof DeclareInput>;

export const EditInput = z.strictObject({
  title: shortText.optional(),
  description: longText.optional(),
  impact: z.string().max(2000).optional(),
  services: list(50).optional(),
  tenants: list(200).optional(),
  correlation_ids: list(50).optional(),
});
export type EditInput = z.output<typeof EditInput>;

export const StatusInput = z.strictObject({
  status: z.enum(STATUSES),
  reason: z.string().trim().max(2000).optional(),
});

export const SeverityInput = z.strictObject({
  severity: key,
  reason: z.string().trim().min(1, 'say why the severity changes').max(2000),
});

export const TypeInput = z.strictObject({
  type: key,
  reason: z.string().trim().min(1, 'say why the type changes').max(2000),
});

export const PhaseInput = z.strictObject({
  phase: key.optional().describe('The phase to enter; defaults to the next one'),
});

export const AssignRoleInput = z.strictObject({
  user: z.string().trim().min(1).max(320).describe("The member's e-mail or user id"),
});

export const NoteInput = z.strictObject({ text: z.string().trim().min(1).max(10_000) });

export const TaskInput = z.strictObject({
  title: shortText,
  assignee: z.string().trim().min(1).max(320).optional(),
  due_at: instant.optional(),
});

export const TaskPatch = z.strictObject({
  done: z.boolean().optional(),
  assignee: z.string().trim().min(1).max(320).nullable().optional(),
  due_at: instant.nullable().optional(),
});

export const UpdateInput = z.strictObject({
  audience: key,
  template: key.optional().describe('Template key; defaults to the first template for the audience'),
  fields: z.record(z.string().max(64), z.string().max(5000)).optional(),
  subject: z.string().max(300).optional().describe('Overrides the rendered subject'),
  body: z.string().max(20_000).optional().describe('Overrides the rendered body (after editing a preview)'),
  next_update_at: instant.optional().describe('When the next update will come; defaults to the plan cadence'),
});
export type UpdateInput = z.output<typeof UpdateInput>;

export const ObligationInput = z.strictObject({
  action: z.enum(['start', 'met', 'waive', 'reopen']),
  at: instant.optional().describe('When it happened; defaults to now'),
  note: z.string().max(2000).optional(),
});

export const ListQuery = z.strictObject({
  status: z.enum([...STATUSES, 'open', 'all']).optional(),
  severity: key.optional(),
  type: key.optional(),
  service: key.optional(),
  drill: z.enum(['true', 'false', 'only', 'exclude']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  before: z.coerce.number().int().min(1).optional().describe('Incidents numbered below this (pagination)'),
});
export type ListQuery = z.output<typeof ListQuery>;
