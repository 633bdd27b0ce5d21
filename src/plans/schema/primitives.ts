import { z } from 'zod';
import { DURATION_HINT, type Duration, parseDuration } from '../../shared/duration.ts';

export { TextSchema } from '../../shared/text.ts';

/** Identifiers that other parts of the plan refer to: "S1", "P0", "data_breach", "ic". */
export const KeySchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'expected a key of letters, digits, "_", "-" or "." (at most 64)',
  )
  .meta({ description: 'Identifier referred to elsewhere in the plan' });

export const DurationSchema = z
  .string()
  .transform((value, ctx): Duration => {
    const d = parseDuration(value);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: DURATION_HINT });
      return z.NEVER;
    }
    return d;
  })
  .meta({
    description: 'Duration: "15m", "1h30m", "72h", "7d", "1w", "1mo", "5bd" (business days), "immediate"',
  });

export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like "2026-03-31"')
  .meta({ description: 'Calendar date YYYY-MM-DD' });

/** Something a page, an escalation step or a notice is sent to. Runtime parts resolve later. */
export const TargetSchema = z
  .union([
    z.strictObject({ role: KeySchema }),
    z.strictObject({ schedule: KeySchema }),
    z.strictObject({ team: KeySchema }),
    z.strictObject({ user: z.string().min(1) }),
    z.strictObject({ contact: KeySchema }),
    z.strictObject({ audience: KeySchema }),
  ])
  .meta({
    description:
      'Who: { role }, { schedule } (on-call), { team }, { user } (e-mail), { contact } (plan contact), { audience } (communications audience)',
  });
export type Target = z.output<typeof TargetSchema>;

/** Narrows a rule to some severities, types or services. Absent lists mean "all". */
export const AppliesToSchema = z.strictObject({
  severities: z.array(KeySchema).optional().describe('Severity keys; absent means all'),
  types: z.array(KeySchema).optional().describe('Incident type keys; absent means all'),
  services: z.array(KeySchema).optional().describe('Service keys; absent means all'),
});
export type AppliesTo = z.output<typeof AppliesToSchema>;

/** Label matchers, as in Alertmanager: equality, regex, presence or absence. */
export const MatcherSchema = z.union([
  z.string(),
  z.strictObject({ equals: z.string() }),
  z.strictObject({ not_equals: z.string() }),
  z.strictObject({ regex: z.string() }),
  z.strictObject({ not_regex: z.string() }),
  z.strictObject({ present: z.boolean() }),
]);
export type Matcher = z.output<typeof MatcherSchema>;
