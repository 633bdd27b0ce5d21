import { z } from 'zod';
import { LANGUAGES } from '../../shared/text.ts';
import { ChecklistSchema } from './checklists.ts';
import { CommunicationsSchema } from './communications.ts';
import { EscalationSchema } from './escalation.ts';
import { ObligationSchema } from './obligations.ts';
import {
  CalendarSchema,
  ContactSchema,
  DrillSchema,
  MetricsSchema,
  RoutineSchema,
  ServiceSchema,
  SwitchSchema,
} from './operations.ts';
import { PhaseSchema } from './phases.ts';
import { PostmortemSchema } from './postmortem.ts';
import { KeySchema, TextSchema } from './primitives.ts';
import { RoleSchema } from './roles.ts';
import { RoutingSchema } from './routing.ts';
import { RunbookSchema } from './runbooks.ts';
import { SeveritySchema } from './severities.ts';
import { IncidentTypeSchema } from './types.ts';

export const PLAN_FORMAT = 'plan/v1';

/**
 * The plan document as written in YAML. Cross-references (a type's default severity, a role
 * in an escalation step, a template's placeholders) are checked after this shape, in
 * references.ts, so that each problem can name its own path.
 */
export const PlanSchema = z.strictObject({
  siaga: z.literal(PLAN_FORMAT).meta({ description: 'Format version of this file' }),
  key: KeySchema.describe('Identifier of the plan'),
  name: TextSchema.describe('Title of the plan'),
  description: TextSchema.optional().describe('Purpose of the plan'),
  owner: z.string().optional().describe('Who maintains the plan'),
  language: z.enum(LANGUAGES).default('en').describe('The language plain-string texts are written in'),
  calendar: CalendarSchema.prefault({}).describe('Time zone and working days, for business-day deadlines'),
  contacts: z.array(ContactSchema).default([]).describe('People and organisations the plan refers to'),
  services: z.array(ServiceSchema).default([]).describe('What can be affected'),
  severities: z.array(SeveritySchema).min(1).describe('Severity levels, most severe first'),
  roles: z.array(RoleSchema).default([]).describe('Incident roles'),
  incident_types: z
    .array(IncidentTypeSchema)
    .min(1)
    .describe('Kinds of incident, each with its own response'),
  phases: z.array(PhaseSchema).default([]).describe('Phases of the response, in order'),
  checklists: z.array(ChecklistSchema).default([]).describe('Named checklists shared by types and phases'),
  escalation: EscalationSchema.prefault({}).describe('Who is called next, and when'),
  communications: CommunicationsSchema.prefault({}).describe('Audiences, channels and message templates'),
  obligations: z
    .array(ObligationSchema)
    .default([])
    .describe('Regulatory and contractual notification clocks'),
  runbooks: z.array(RunbookSchema).default([]).describe('Step-by-step procedures'),
  switches: z.array(SwitchSchema).default([]).describe('Kill-switches production systems read'),
  postmortem: PostmortemSchema.optional().describe('Post-mortem template and policy'),
  metrics: MetricsSchema.optional().describe('Metric targets and what is tracked'),
  drills: z.array(DrillSchema).default([]).describe('Exercises and how often they are held'),
  routines: z.array(RoutineSchema).default([]).describe('Recurring prevention work'),
  routing: RoutingSchema.prefault({}).describe('What incoming alerts become'),
  notes: z.array(TextSchema).optional().describe('Anything else the plan says'),
});

export type PlanDocument = z.output<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;
