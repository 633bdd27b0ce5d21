import { and, eq } from 'drizzle-orm';
import { factsOf, loadBundles } from '../incidents/bundle.ts';
import { computeClocks } from '../incidents/clocks.ts';
import { isReopen, type Status } from '../incidents/model.ts';
import { incidents } from '../incidents/tables.ts';
import type { Ctx } from '../kernel/verb.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { incidentClockResults } from '../postmortems/tables.ts';

/**
 * Stores each clock's outcome when an incident resolves (and again when it closes, for phases
 * completed by closing), so "share of incidents that met each target" is a count in SQL rather
 * than a replay of every incident's clocks. A reopened incident has no outcome until it resolves
 * again. The rolling next-update clocks and the post-mortem clock are left out: the first only
 * exists while open, the second is judged from the post-mortem itself.
 */
export async function recordClockResults(
  ctx: Ctx,
  incidentId: string,
  from: Status,
  to: Status,
): Promise<void> {
  await ctx.tx.delete(incidentClockResults).where(eq(incidentClockResults.incidentId, incidentId));
  if (isReopen(from, to) || (to !== 'resolved' && to !== 'closed')) return;
  const [b] = await loadBundles(
    ctx.tx,
    and(eq(incidents.id, incidentId), eq(incidents.workspaceId, ctx.workspaceId))!,
    {
      full: false,
    },
  );
  if (!b) return;
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, b.row.planVersionId);
  const rows = computeClocks(plan, factsOf(b), ctx.now)
    .filter((c) => !c.key.startsWith('update:') && c.kind !== 'postmortem')
    .map((c) => ({
      incidentId,
      workspaceId: ctx.workspaceId,
      clockKey: c.key,
      kind: c.kind,
      // A target never reached by the end of the incident was missed, however far off its deadline.
      state: c.state === 'pending' ? 'breached' : c.state,
      slackMs: c.slackMs,
      deadline: c.deadline,
    }));
  if (rows.length) await ctx.tx.insert(incidentClockResults).values(rows);
}
