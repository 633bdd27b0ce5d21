import { z } from 'zod';
import { DurationSchema, IsoDateSchema, KeySchema, TextSchema } from './primitives.ts';

export const ContactSchema = z.strictObject({
  key: KeySchema.describe('Contact key, used as { contact: <key> } in escalation'),
  label: TextSchema.describe('Who: a person, a position or an organisation'),
  email: z.string().email().optional().describe('E-mail address'),
  phone: z.string().optional().describe('Phone number'),
  url: z.string().optional().describe('A link (support portal, hotline page)'),
  description: TextSchema.optional().describe('When to contact them'),
});
export type Contact = z.output<typeof ContactSchema>;

export const ServiceSchema = z.strictObject({
  key: KeySchema.describe('Service key'),
  label: TextSchema.describe('Name of the service'),
  description: TextSchema.optional().describe('What it does'),
  owner: z.string().optional().describe('Team or person that owns it'),
  escalation: KeySchema.optional().describe('Escalation path for incidents affecting this service'),
  component: z.string().optional().describe('Status page component that shows this service'),
});
export type Service = z.output<typeof ServiceSchema>;

/** An operational flag production reads (withdrawals off, AI chat off, read-only mode). */
export const SwitchSchema = z.strictObject({
  key: KeySchema.describe('Switch key, as production systems read it'),
  label: TextSchema.describe('What turning it on does'),
  description: TextSchema.optional().describe('When to use it'),
  default: z.boolean().default(false).describe('State when nobody has changed it'),
  two_person: z.boolean().default(false).describe('A second person must approve a change'),
  services: z.array(KeySchema).optional().describe('Services it affects'),
});
export type Switch = z.output<typeof SwitchSchema>;

export const MetricsSchema = z.strictObject({
  targets: z
    .strictObject({
      mttd: DurationSchema.optional().describe('Mean time to detect'),
      mtta: DurationSchema.optional().describe('Mean time to acknowledge'),
      mttr: DurationSchema.optional().describe('Mean time to resolve'),
    })
    .optional()
    .describe('Overall targets; per-severity MTTR lives on each severity'),
  track: z.array(TextSchema).optional().describe('What is tracked and reported'),
});
export type Metrics = z.output<typeof MetricsSchema>;

export const DrillSchema = z.strictObject({
  key: KeySchema.describe('Drill key'),
  label: TextSchema.describe('Name of the drill'),
  kind: z.enum(['tabletop', 'fire_drill', 'simulation']).describe('Kind of exercise'),
  every: DurationSchema.describe('How often: "3mo", "6mo"'),
  description: TextSchema.optional().describe('What is practised'),
  severity: KeySchema.optional().describe('Severity the drill incident is declared at'),
  scenario: z.string().optional().describe("Scenario file that scripts the drill's alerts and events"),
  last_held: IsoDateSchema.optional().describe('When it was last held'),
});
export type Drill = z.output<typeof DrillSchema>;

/** Recurring prevention work (pentests, access reviews, training). */
export const RoutineSchema = z.strictObject({
  key: KeySchema.describe('Routine key'),
  label: TextSchema.describe('What is done'),
  every: DurationSchema.describe('How often: "3mo", "12mo"'),
  owner: z.string().optional().describe('Who does it'),
  description: TextSchema.optional().describe('Details'),
});
export type Routine = z.output<typeof RoutineSchema>;

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export const CalendarSchema = z
  .strictObject({
    timezone: z.string().default('UTC').describe('IANA time zone of the plan: "Asia/Jakarta"'),
    weekend: z.array(z.enum(WEEKDAYS)).default(['sat', 'sun']).describe('Days that are not business days'),
    holidays: z.array(IsoDateSchema).default([]).describe('Dates that are not business days'),
  })
  .transform((c) => ({
    timezone: c.timezone,
    weekend: c.weekend.map((d) => WEEKDAYS.indexOf(d)),
    holidays: c.holidays,
  }));
