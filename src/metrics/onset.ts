import { z } from 'zod';
import { formatNumber } from '../incidents/model.ts';
import { lockIncident } from '../incidents/queries.ts';
import { recordChange } from '../incidents/timeline.ts';
import type { Ctx } from '../kernel/verb.ts';
import { InvalidInput } from '../shared/errors.ts';
import { incidentOnsets } from './tables.ts';

export const OnsetInput = z.strictObject({
  began_at: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .describe('When the problem actually began'),
  source: z.enum(['alert', 'postmortem', 'declared']).default('postmortem'),
});
export type OnsetInput = z.output<typeof OnsetInput>;

/** Records when the problem began (often only known afterwards): MTTD runs from here to detection. */
export async function setOnset(ctx: Ctx, ref: string, input: OnsetInput): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  if (input.began_at > inc.detectedAt)
    throw InvalidInput.field(
      'began_at',
      `is after ${formatNumber(inc.number)} was detected (${inc.detectedAt.toISOString()})`,
    );
  const values = {
    incidentId: inc.id,
    workspaceId: ctx.workspaceId,
    beganAt: input.began_at,
    source: input.source,
    recordedAt: ctx.now,
  };
  await ctx.tx
    .insert(incidentOnsets)
    .values(values)
    .onConflictDoUpdate({
      target: incidentOnsets.incidentId,
      set: { beganAt: values.beganAt, source: values.source, recordedAt: ctx.now },
    });
  await recordChange(
    ctx,
    inc,
    'onset_recorded',
    `Problem began at ${input.began_at.toISOString()} (${input.source})`,
    {
      began_at: input.began_at.toISOString(),
      source: input.source,
    },
  );
}
