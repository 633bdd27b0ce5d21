import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../../kernel/verb.ts';
import { obligationsFor } from '../../plans/index.ts';
import { loadPlanVersion } from '../../plans/store.ts';
import { InvalidInput, NotAllowed } from '../../shared/errors.ts';
import { lockIncident } from '../queries.ts';
import { incidentObligations } from '../tables.ts';
import { recordChange, touch } from '../timeline.ts';

export type ObligationAction = 'start' | 'met' | 'waive' | 'reopen';

/**
 * Records what people did about an obligation: started its clock (for clocks a decision starts),
 * met it (the notice went out), waived it (not required, with a reason), or reopened it.
 */
export async function setObligation(
  ctx: Ctx,
  ref: string,
  key: string,
  input: { action: ObligationAction; at?: Date; note?: string },
): Promise<void> {
  const inc = await lockIncident(ctx, ref);
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  const applicable = obligationsFor(plan, inc.typeKey, inc.severityKey);
  const o = applicable.find((x) => x.key === key);
  if (!o) {
    const known = applicable.map((x) => x.key);
    throw InvalidInput.field(
      'obligation',
      `"${key}" does not apply to this incident; applicable: ${known.join(', ') || 'none'}`,
    );
  }
  const at = input.at ?? ctx.now;
  if (at.getTime() > ctx.now.getTime()) throw InvalidInput.field('at', 'is in the future');
  if (input.action === 'waive' && !input.note)
    throw InvalidInput.field('note', 'say why the obligation is waived');
  if (input.action === 'start' && o.starts_at !== 'manual') {
    throw new NotAllowed(`the clock of "${key}" starts at ${o.starts_at}, not by hand`);
  }
  const [row] = await ctx.tx
    .select()
    .from(incidentObligations)
    .where(and(eq(incidentObligations.incidentId, inc.id), eq(incidentObligations.obligationKey, key)));
  const next = {
    startedAt: row?.startedAt ?? null,
    metAt: row?.metAt ?? null,
    waivedAt: row?.waivedAt ?? null,
    note: input.note ?? row?.note ?? '',
  };
  if (input.action === 'start') next.startedAt = at;
  if (input.action === 'met') next.metAt = at;
  if (input.action === 'waive') next.waivedAt = at;
  if (input.action === 'reopen') {
    next.metAt = null;
    next.waivedAt = null;
  }
  if (row) {
    await ctx.tx
      .update(incidentObligations)
      .set(next)
      .where(and(eq(incidentObligations.incidentId, inc.id), eq(incidentObligations.obligationKey, key)));
  } else {
    await ctx.tx.insert(incidentObligations).values({ incidentId: inc.id, obligationKey: key, ...next });
  }
  await touch(ctx, inc.id);
  const words = { start: 'clock started', met: 'met', waive: 'waived', reopen: 'reopened' }[input.action];
  await recordChange(
    ctx,
    inc,
    'obligation',
    `Obligation ${key} ${words}${input.note ? `: ${input.note}` : ''}`,
    {
      obligation: key,
      action: input.action,
      at: at.toISOString(),
      note: input.note ?? null,
    },
  );
  await ctx.emit({
    type: 'incident.obligation_changed',
    incidentId: inc.id,
    obligation: key,
    action: input.action,
  });
}
