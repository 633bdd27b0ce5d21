/**
 * The on-call file (`oncall.yaml`), kept beside the plan: teams, schedules with their layers
 * and overrides, where the plan's roles and contacts point on call, and escalation policies
 * in the plan's own path format. People are named by e-mail; applying resolves them to members.
 */
import { z } from 'zod';
import { EscalationPathSchema } from '../plans/schema/escalation.ts';
import { KeySchema } from '../plans/schema/primitives.ts';
import { isValidTimeZone } from '../shared/zoned.ts';
import { HANDOFF_RE, parseShift } from './model.ts';

export const ONCALL_FORMAT = 'oncall/1';

const Email = z.string().email('expected a member’s e-mail address');
const Instant = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 instant with an offset' });

export const TimeZoneSchema = z
  .string()
  .refine(isValidTimeZone, 'expected an IANA time zone such as "Europe/Berlin" or "Asia/Jakarta"');

export const ShiftSchema = z
  .string()
  .refine((s) => parseShift(s) !== null, 'expected a shift length like "12h", "1d" or "1w"');

export const LayerSchema = z.strictObject({
  name: z.string().min(1).optional().describe('Name of the rotation'),
  participants: z.array(Email).min(1).describe('Members in turn order'),
  shift: ShiftSchema.describe('Shift length: hours, days or weeks ("12h", "1d", "1w")'),
  handoff: z.string().regex(HANDOFF_RE, 'expected a wall-clock time "HH:MM"').default('09:00'),
  start: z.iso.date('expected a date like "2026-01-05"').describe('Date the first shift starts'),
  until: Instant.optional().describe('The layer stops covering at this instant'),
});

export const OverrideSchema = z
  .strictObject({
    user: Email,
    from: Instant,
    to: Instant,
  })
  .refine((o) => Date.parse(o.to) > Date.parse(o.from), {
    message: 'must end after it starts',
    path: ['to'],
  });

export const ScheduleFileSchema = z.strictObject({
  key: KeySchema,
  name: z.string().min(1),
  time_zone: TimeZoneSchema.default('UTC'),
  layers: z.array(LayerSchema).min(1).describe('Rotations; where they overlap the last one wins'),
  overrides: z.array(OverrideSchema).default([]),
});

export const TeamFileSchema = z.strictObject({
  key: KeySchema,
  name: z.string().min(1),
  members: z.array(Email).default([]),
  schedule: KeySchema.optional().describe('Who of the team is on call; without it the whole team is paged'),
});

/** A target on the on-call side: a member, a schedule or a team. */
export const OnCallTargetSchema = z.union([
  z.strictObject({ user: Email }),
  z.strictObject({ schedule: KeySchema }),
  z.strictObject({ team: KeySchema }),
]);

export const OnCallFileSchema = z.strictObject({
  siaga_oncall: z.literal(ONCALL_FORMAT).describe(`Format version: "${ONCALL_FORMAT}"`),
  teams: z.array(TeamFileSchema).default([]),
  schedules: z.array(ScheduleFileSchema).default([]),
  roles: z
    .record(KeySchema, OnCallTargetSchema)
    .default({})
    .describe('Plan role → who holds it when nobody is assigned in the incident'),
  contacts: z.record(KeySchema, OnCallTargetSchema).default({}).describe('Plan contact → who is paged'),
  policies: z
    .array(EscalationPathSchema)
    .default([])
    .describe('Escalation policies, chosen per service and severity by applies_to'),
});
export type OnCallFile = z.output<typeof OnCallFileSchema>;
export type ScheduleFile = z.output<typeof ScheduleFileSchema>;
export type TeamFile = z.output<typeof TeamFileSchema>;
