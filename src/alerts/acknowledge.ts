import { and, eq } from 'drizzle-orm';
import { isOpen } from '../incidents/model.ts';
import { incidents } from '../incidents/tables.ts';
import { acknowledge } from '../incidents/verbs/lifecycle.ts';
import type { Ctx } from '../kernel/verb.ts';
import type { IncomingAlert } from './model.ts';
import { alerts } from './tables.ts';

/** A sender acknowledging its alert (PagerDuty's "acknowledge") acknowledges the incident it opened. */
export async function acknowledgeAlert(ctx: Ctx, a: IncomingAlert): Promise<void> {
  const [row] = await ctx.tx
    .select()
    .from(alerts)
    .where(
      and(
        eq(alerts.workspaceId, ctx.workspaceId),
        eq(alerts.source, a.source),
        eq(alerts.fingerprint, a.fingerprint),
      ),
    );
  if (!row) return;
  ctx.audit('alert.acknowledged', 'alert', row.id, { fingerprint: row.fingerprint });
  if (!row.incidentId) return;
  const [inc] = await ctx.tx.select().from(incidents).where(eq(incidents.id, row.incidentId));
  if (inc && isOpen(inc.status)) await acknowledge(ctx, inc.id);
}
