import { and, eq, sql } from 'drizzle-orm';
import { factsOf, loadBundles } from '../incidents/bundle.ts';
import { computeClocks } from '../incidents/clocks.ts';
import { isReopen, type Status } from '../incidents/model.ts';
import { incidents } from '../incidents/tables.ts';
import type { Ctx } from '../kernel/verb.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { incidentClockResults } from '../postmortems/tables.ts';
import { incidentTargetFacts } from './tables.ts';

/**
 * Stores each clock's outcome when an incident resolves (and again when it closes, for phases
 * completed by closing), so "share of incidents that met each target" is a count in SQL rather
 * than a replay of every incident's clocks. A reopened incident has no outcome until it resolves
 * again. The rolling next-update clocks and the post-mortem clock are left out: the first only
 * exists while open, the second is judged from the post-mortem itself. The incident's target
 * facts row (what the targets count reads) is rebuilt from these rows in the same transaction.
 */
export async function recordClockResults(
  ctx: Ctx,
  incidentId: string,
  from: Status,
  to: Status,
): Promise<void> {
  await ctx.tx.delete(incidentClockResults).where(eq(incidentClockResults.incidentId, incidentId));
  await ctx.tx.delete(incidentTargetFacts).where(eq(incidentTargetFacts.incidentId, incidentId));
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
  if (!rows.length) return;
  await ctx.tx.insert(incidentClockResults).values(rows);
  // The statement migration 0009 backfilled with, so stored and new rows group alike.
  await ctx.tx.execute(sql`
    INSERT INTO incident_target_facts (incident_id, workspace_id, detected_at, drill, outcomes)
    SELECT i.id, i.workspace_id, i.detected_at, i.drill,
      json_agg(json_build_array(r.kind, r.clock_key, r.state) ORDER BY r.clock_key)::text
    FROM incident_clock_results r JOIN incidents i ON i.id = r.incident_id
    WHERE r.state IN ('met', 'breached') AND i.id = ${incidentId}
    GROUP BY i.id`);
}
