import type { IncidentClock } from '../incidents/clocks.ts';
import { audience, type Plan, pick, role } from '../plans/index.ts';
import { formatMs } from '../shared/duration.ts';
import { isoDate, toWall } from '../shared/zoned.ts';

/** A timeline entry as stored (incident_events), reduced to what the document needs. */
export type EventFact = { at: Date; kind: string; text: string; data: Record<string, unknown> };

export type TimelineLine = { at: Date; text: string };

const STATUS_LINES: Record<string, string> = {
  identified: 'Root cause identified',
  monitoring: 'Fix deployed; monitoring',
  resolved: 'Incident resolved',
  closed: 'Incident closed',
};

function reason(data: Record<string, unknown>): string {
  return typeof data.reason === 'string' && data.reason ? `: ${data.reason}` : '';
}

/**
 * The post-mortem timeline, rebuilt from what was recorded while the incident ran: detection,
 * acknowledgement, people taking roles (the team assembling), phases, status changes (root cause
 * identified, fix deployed, resolved), severity changes, updates sent and notes. Task ticks and
 * edits are left out: they are the checklist, not the story.
 */
export function reconstructTimeline(
  plan: Plan,
  detectedAt: Date,
  events: EventFact[],
  lang = plan.language,
): TimelineLine[] {
  const lines: TimelineLine[] = [{ at: detectedAt, text: 'Incident detected' }];
  for (const e of events) {
    const d = e.data;
    switch (e.kind) {
      case 'declared':
        if (e.at.getTime() !== detectedAt.getTime())
          lines.push({ at: e.at, text: `Incident declared (${d.severity}, ${d.type})` });
        break;
      case 'acknowledged':
        lines.push({ at: e.at, text: e.text });
        break;
      case 'role_assigned': {
        const label = pick(role(plan, String(d.role))?.label, lang) || String(d.role);
        lines.push({ at: e.at, text: `${label} assigned: ${d.email}` });
        break;
      }
      case 'phase_entered': {
        const p = plan.phases.find((x) => x.key === d.to);
        lines.push({ at: e.at, text: `Phase: ${p ? pick(p.label, lang) : String(d.to)}` });
        break;
      }
      case 'status_changed': {
        const to = String(d.to);
        const text = STATUS_LINES[to] ?? `Back to ${to}`;
        lines.push({ at: e.at, text: `${text}${reason(d)}` });
        break;
      }
      case 'reopened':
        lines.push({ at: e.at, text: `Incident reopened${reason(d)}` });
        break;
      case 'severity_changed':
        lines.push({ at: e.at, text: `Severity ${d.from} → ${d.to}${reason(d)}` });
        break;
      case 'update_posted': {
        const a = audience(plan, String(d.audience));
        lines.push({ at: e.at, text: `Update sent to ${a ? pick(a.label, lang) : String(d.audience)}` });
        break;
      }
      case 'note':
        lines.push({ at: e.at, text: `Note: ${e.text}` });
        break;
      case 'obligation':
        lines.push({ at: e.at, text: e.text });
        break;
    }
  }
  return lines;
}

/** "HH:MM - text", with the date in front once the incident runs past its first day. */
export function formatTimeline(lines: TimelineLine[], timeZone: string): string {
  if (lines.length === 0) return '';
  const firstDay = isoDate(toWall(lines[0]!.at, timeZone));
  return lines
    .map((l) => {
      const w = toWall(l.at, timeZone);
      const hm = `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
      const day = isoDate(w);
      return `- ${day === firstDay ? hm : `${day} ${hm}`} - ${l.text}`;
    })
    .join('\n');
}

function minutes(ms: number): string {
  return formatMs(Math.round(Math.abs(ms) / 60_000) * 60_000);
}

/**
 * One line per target: met with how much to spare, missed by how much, or why neither. Once the
 * incident has ended, a target never reached is "not completed", not "still open".
 */
export function clockLine(c: IncidentClock, lang: 'en' | 'id' = 'en', ended = false): string {
  const label = pick(c.label, lang);
  const by = minutes(c.slackMs ?? 0);
  switch (c.state) {
    case 'met':
      return `- ${label}: met, ${by} to spare`;
    case 'breached':
      if (c.metAt) return `- ${label}: missed by ${by}`;
      return ended
        ? `- ${label}: missed, not completed (${by} past the deadline at resolution)`
        : `- ${label}: missed, ${by} overdue and still open`;
    case 'pending':
      return ended
        ? `- ${label}: not completed (the deadline was ${by} away at resolution)`
        : `- ${label}: not yet met, ${by} left`;
    case 'waived':
      return `- ${label}: waived`;
    default:
      return `- ${label}: not started`;
  }
}

/** The targets a post-mortem reports on: everything but the rolling update cadence and itself. */
export function reportedClocks(clocks: IncidentClock[]): IncidentClock[] {
  return clocks.filter((c) => !c.key.startsWith('update:') && c.kind !== 'postmortem');
}
