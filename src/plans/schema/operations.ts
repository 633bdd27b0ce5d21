import { z } from 'zod';
import { DurationSchema, IsoDateSchema, KeySchema, TextSchema } from './primitives.ts';

export const ContactSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  email: z.string().email().optional(),
  phone: z.string().optional(),
  url: z.string().optional(),
  description: TextSchema.optional(),
});
export type Contact = z.output<typeof ContactSchema>;

export const ServiceSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  description: TextSchema.optional(),
  owner: z.string().optional(),
  escalation: KeySchema.optional(),
  /** Status page component that shows this service. */
  component: z.string().optional(),
});
export type Service = z.output<typeof ServiceSchema>;

/** An operational flag production reads (withdrawals off, AI chat off, read-only mode). */
export const SwitchSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  description: TextSchema.optional(),
  default: z.boolean().default(false),
  /** A second person must approve a change. */
  two_person: z.boolean().default(false),
  services: z.array(KeySchema).optional(),
});
export type Switch = z.output<typeof SwitchSchema>;

export const MetricsSchema = z.strictObject({
  /** Overall targets; per-severity MTTR lives on each severity. */
  targets: z
    .strictObject({
      mttd: DurationSchema.optional(),
      mtta: DurationSchema.optional(),
      mttr: DurationSchema.optional(),
    })
    .optional(),
  track: z.array(TextSchema).optional(),
});
export type Metrics = z.output<typeof MetricsSchema>;

export const DrillSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  kind: z.enum(['tabletop', 'fire_drill', 'simulation']),
  every: DurationSchema,
  description: TextSchema.optional(),
  severity: KeySchema.optional(),
  /** Scenario file that scripts the drill's alerts and events. */
  scenario: z.string().optional(),
  last_held: IsoDateSchema.optional(),
});
export type Drill = z.output<typeof DrillSchema>;

/** Recurring prevention work (pentests, access reviews, training). */
export const RoutineSchema = z.strictObject({
  key: KeySchema,
  label: TextSchema,
  every: DurationSchema,
  owner: z.string().optional(),
  description: TextSchema.optional(),
});
export type Routine = z.output<typeof RoutineSchema>;

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export const CalendarSchema = z
  .strictObject({
    timezone: z.string().default('UTC'),
    weekend: z.array(z.enum(WEEKDAYS)).default(['sat', 'sun']),
    holidays: z.array(IsoDateSchema).default([]),
  })
  .transform((c) => ({
    timezone: c.timezone,
    weekend: c.weekend.map((d) => WEEKDAYS.indexOf(d)),
    holidays: c.holidays,
  }));
