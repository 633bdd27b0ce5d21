/**
 * The drill scenario file: which plan it exercises, the incident it declares, and what happens
 * at which offset. Each step does one thing; `expect` checks the incident after it.
 */
import { z } from 'zod';
import { KeySchema } from '../plans/schema/primitives.ts';
import { parseDuration } from '../shared/duration.ts';

export const SCENARIO_FORMAT = 'drill/v1';

/** An offset from the start of the drill: "0s", "90s", "2m", "1h30m". */
export const OffsetSchema = z
  .string()
  .transform((value, ctx): number => {
    const d = parseDuration(value);
    if (!d || d.months > 0 || d.businessDays > 0) {
      ctx.addIssue({ code: 'custom', message: 'expected an offset like "0s", "90s", "2m" or "1h30m"' });
      return z.NEVER;
    }
    return d.ms;
  })
  .meta({ description: 'Offset from the start of the drill: "0s", "2m", "1h30m"' });

const Text = z.string().trim().min(1);

export const ExpectSchema = z
  .strictObject({
    clock: z
      .string()
      .min(1)
      .optional()
      .describe('A clock key ("response", "phase:triage", "update:users") or kind'),
    state: z.enum(['pending', 'met', 'breached', 'not_started', 'waived']).optional(),
    status: KeySchema.optional().describe('The incident status'),
    severity: KeySchema.optional().describe('The incident severity'),
    task_done: Text.optional().describe('A task whose title contains this text is ticked'),
  })
  .superRefine((e, ctx) => {
    if (e.clock !== undefined && e.state === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['state'],
        message: 'a clock check needs "state" (met, pending, breached, …)',
      });
    if (e.state !== undefined && e.clock === undefined)
      ctx.addIssue({ code: 'custom', path: ['clock'], message: '"state" needs the "clock" it is about' });
    if ([e.clock, e.status, e.severity, e.task_done].every((x) => x === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'an expectation checks one of clock+state, status, severity, task_done',
      });
  });
export type Expectation = z.output<typeof ExpectSchema>;

export const ACTIONS = [
  'declare',
  'ack',
  'assign',
  'phase',
  'tick',
  'update',
  'status',
  'severity',
  'note',
  'alert',
] as const;
export type Action = (typeof ACTIONS)[number];

export const StepSchema = z
  .strictObject({
    at: OffsetSchema,
    declare: z
      .strictObject({
        title: Text.max(200).optional().describe("Default: the scenario's title"),
        description: z.string().max(20_000).optional(),
        impact: z.string().max(2000).optional(),
        services: z.array(Text).optional(),
      })
      .optional()
      .describe('Declare the drill incident (type and severity from the scenario)'),
    ack: z.literal(true).optional().describe('Acknowledge'),
    assign: z
      .strictObject({
        role: KeySchema,
        user: Text.optional().describe('E-mail; default the person running the drill'),
      })
      .optional(),
    phase: z
      .union([z.literal(true), KeySchema])
      .optional()
      .describe('Enter the next phase, or the named one'),
    tick: Text.optional().describe('Tick the task whose title contains this text'),
    update: z
      .strictObject({
        audience: KeySchema,
        template: KeySchema.optional(),
        fields: z.record(z.string(), z.string()).optional(),
        body: z.string().optional().describe('Needed when the audience has no template'),
        next_update: OffsetSchema.optional().describe(
          'When the next update comes, from this step (scaled by --speed)',
        ),
      })
      .optional(),
    status: z.strictObject({ to: KeySchema, reason: z.string().optional() }).optional(),
    severity: z.strictObject({ to: KeySchema, reason: Text }).optional(),
    note: Text.optional(),
    alert: z
      .strictObject({
        labels: z.record(z.string(), z.string()),
        status: z.enum(['firing', 'resolved']).default('firing'),
        summary: z.string().optional(),
      })
      .optional()
      .describe('Raise or resolve an alert at the alert integration URL'),
    expect: z.array(ExpectSchema).optional(),
  })
  .superRefine((s, ctx) => {
    const given = ACTIONS.filter((a) => s[a] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message:
          given.length === 0
            ? `a step does one of: ${ACTIONS.join(', ')}`
            : `a step does one thing; this one has ${given.join(' and ')}: split it into steps at the same offset`,
      });
  });
export type Step = z.output<typeof StepSchema>;

export const ScenarioSchema = z.strictObject({
  siaga: z.literal(SCENARIO_FORMAT).describe(`Format version: "${SCENARIO_FORMAT}"`),
  plan: KeySchema.describe('Key of the plan the drill exercises'),
  drill: KeySchema.optional().describe("The plan's drill this scenario is (recorded as held after a run)"),
  title: Text.max(200),
  type: KeySchema.describe('Incident type'),
  severity: KeySchema.describe('Severity'),
  alert_url: z.url().optional().describe('Alert integration URL that `alert` steps are sent to'),
  steps: z.array(StepSchema).min(1),
});
export type Scenario = z.output<typeof ScenarioSchema>;

export function actionOf(step: Step): Action {
  return ACTIONS.find((a) => step[a] !== undefined)!;
}
