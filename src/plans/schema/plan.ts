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
  key: KeySchema,
  name: TextSchema,
  description: TextSchema.optional(),
  owner: z.string().optional(),
  /** The language plain-string texts are written in. */
  language: z.enum(LANGUAGES).default('en'),
  calendar: CalendarSchema.prefault({}),
  contacts: z.array(ContactSchema).default([]),
  services: z.array(ServiceSchema).default([]),
  severities: z.array(SeveritySchema).min(1),
  roles: z.array(RoleSchema).default([]),
  incident_types: z.array(IncidentTypeSchema).min(1),
  phases: z.array(PhaseSchema).default([]),
  checklists: z.array(ChecklistSchema).default([]),
  escalation: EscalationSchema.prefault({}),
  communications: CommunicationsSchema.prefault({}),
  obligations: z.array(ObligationSchema).default([]),
  runbooks: z.array(RunbookSchema).default([]),
  switches: z.array(SwitchSchema).default([]),
  postmortem: PostmortemSchema.optional(),
  metrics: MetricsSchema.optional(),
  drills: z.array(DrillSchema).default([]),
  routines: z.array(RoutineSchema).default([]),
  routing: RoutingSchema.prefault({}),
  notes: z.array(TextSchema).optional(),
});

export type PlanDocument = z.output<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;
