import type { ComponentStatus, Impact } from './tables.ts';

/** The page's overall state, as Statuspage's status.json names it. */
export type Indicator = 'none' | 'minor' | 'major' | 'critical';

const STATUS_INDICATOR: Record<ComponentStatus, Indicator> = {
  operational: 'none',
  under_maintenance: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};
const RANK: Indicator[] = ['none', 'minor', 'major', 'critical'];

export const INDICATOR_TEXT: Record<Indicator, { en: string; id: string }> = {
  none: { en: 'All Systems Operational', id: 'Semua Sistem Beroperasi Normal' },
  minor: { en: 'Partially Degraded Service', id: 'Sebagian Layanan Menurun' },
  major: { en: 'Partial System Outage', id: 'Gangguan Sebagian Sistem' },
  critical: { en: 'Major System Outage', id: 'Gangguan Besar Sistem' },
};
export const MAINTENANCE_TEXT = { en: 'Service Under Maintenance', id: 'Layanan Dalam Pemeliharaan' };

function worst(a: Indicator, b: Indicator): Indicator {
  return RANK.indexOf(a) >= RANK.indexOf(b) ? a : b;
}

/**
 * The worst of the components' statuses and the open incidents' impacts. Maintenance alone
 * keeps the indicator at none but says so, as Statuspage does.
 */
export function overall(
  statuses: ComponentStatus[],
  openImpacts: Impact[],
): { indicator: Indicator; maintenance: boolean } {
  let ind: Indicator = 'none';
  for (const s of statuses) ind = worst(ind, STATUS_INDICATOR[s]);
  for (const i of openImpacts) if (i !== 'maintenance') ind = worst(ind, i);
  return { indicator: ind, maintenance: ind === 'none' && statuses.includes('under_maintenance') };
}

/** An incident's public impact from its severity's position in the plan (0 = most severe). */
export function impactOfRank(rank: number, severities: number): Impact {
  if (rank <= 0) return 'critical';
  if (rank === 1) return 'major';
  if (rank < Math.max(3, severities - 1)) return 'minor';
  return 'none';
}

/** What an open incident of that impact does to the components it names. */
export function statusForImpact(impact: Impact): ComponentStatus {
  if (impact === 'critical') return 'major_outage';
  if (impact === 'major') return 'partial_outage';
  if (impact === 'maintenance') return 'under_maintenance';
  return 'degraded_performance';
}

/** Incident lifecycle → Statuspage incident status. */
export function publicStatus(status: string): 'investigating' | 'identified' | 'monitoring' | 'resolved' {
  if (status === 'identified' || status === 'monitoring') return status;
  if (status === 'resolved' || status === 'closed') return 'resolved';
  return 'investigating';
}

/** Maintenance window → its status at an instant, unless someone set it by hand. */
export function maintenanceStatus(
  at: Date,
  w: { scheduledFor: Date; scheduledUntil: Date; status: string },
): 'scheduled' | 'in_progress' | 'verifying' | 'completed' {
  if (w.status === 'completed' || w.status === 'verifying') return w.status;
  if (at < w.scheduledFor) return 'scheduled';
  if (at < w.scheduledUntil) return 'in_progress';
  return 'completed';
}
