import { incidentType, type Plan, phase, severity } from '../plans/index.ts';
import { type Duration, formatMs } from '../shared/duration.ts';
import { type Language, pick } from '../shared/text.ts';
import { formatInZone } from '../shared/zoned.ts';
import { formatNumber } from './model.ts';
import type { IncidentRow } from './queries.ts';

const STATUS_LABELS: Record<string, { en: string; id: string }> = {
  investigating: { en: 'Investigating', id: 'Investigasi' },
  identified: { en: 'Identified', id: 'Teridentifikasi' },
  monitoring: { en: 'Monitoring', id: 'Pemantauan' },
  resolved: { en: 'Resolved', id: 'Selesai' },
  closed: { en: 'Closed', id: 'Ditutup' },
};

export function statusLabel(status: string, lang: Language): string {
  return STATUS_LABELS[status]?.[lang] ?? status;
}

function describeCadence(d: Duration, lang: Language): string {
  const min = d.ms / 60_000;
  if (d.months || d.businessDays || !Number.isInteger(min)) return d.text;
  if (min % 60 === 0) {
    const h = min / 60;
    return lang === 'id' ? `${h} jam` : `${h} hour${h === 1 ? '' : 's'}`;
  }
  return lang === 'id' ? `${min} menit` : `${min} minute${min === 1 ? '' : 's'}`;
}

/**
 * The values a template's {{placeholders}} are filled from, in the plan's language and time
 * zone. Names follow the plan format's catalogue (docs/plan-format.md).
 */
export function incidentVars(
  plan: Plan,
  inc: IncidentRow,
  extra: {
    commander?: string;
    nextUpdate?: Date;
    cadence?: Duration;
    publicUrl: string;
    now: Date;
    lang?: Language;
  },
): Record<string, string | undefined> {
  const lang = extra.lang ?? plan.language;
  const tz = plan.calendar.timezone;
  const sev = severity(plan, inc.severityKey);
  const type = incidentType(plan, inc.typeKey);
  const ph = inc.phaseKey ? phase(plan, inc.phaseKey) : undefined;
  const serviceLabels = inc.services.map(
    (k) => pick(plan.services.find((s) => s.key === k)?.label, lang) || k,
  );
  const end = inc.resolvedAt ?? extra.now;
  const affected = [...serviceLabels, ...inc.tenants].join(', ');
  return {
    'incident.number': formatNumber(inc.number),
    'incident.title': inc.title,
    'incident.description': inc.description || inc.title,
    'incident.impact': inc.impact || undefined,
    'incident.affected': affected || inc.impact || undefined,
    'incident.status': inc.status,
    'incident.status_label': statusLabel(inc.status, lang),
    'incident.severity': inc.severityKey,
    'incident.severity_label': pick(sev?.label, lang) || inc.severityKey,
    'incident.type': inc.typeKey,
    'incident.type_label': pick(type?.label, lang) || inc.typeKey,
    'incident.phase': inc.phaseKey ?? undefined,
    'incident.phase_label': ph ? pick(ph.label, lang) : undefined,
    'incident.services': serviceLabels.join(', ') || undefined,
    'incident.tenants': inc.tenants.join(', ') || undefined,
    'incident.correlation_ids': inc.correlationIds.join(', ') || undefined,
    'incident.detected_at': formatInZone(inc.detectedAt, tz),
    'incident.declared_at': formatInZone(inc.declaredAt, tz),
    'incident.resolved_at': inc.resolvedAt ? formatInZone(inc.resolvedAt, tz) : undefined,
    'incident.duration': formatMs(
      Math.max(0, Math.floor((end.getTime() - inc.detectedAt.getTime()) / 60_000) * 60_000),
    ),
    'incident.commander': extra.commander,
    'incident.url': `${extra.publicUrl.replace(/\/$/, '')}/incidents/${formatNumber(inc.number)}`,
    next_update: extra.nextUpdate ? formatInZone(extra.nextUpdate, tz) : undefined,
    update_cadence: extra.cadence ? describeCadence(extra.cadence, lang) : undefined,
    'plan.name': pick(plan.name, lang),
    now: formatInZone(extra.now, tz),
    date: formatInZone(extra.now, tz).slice(0, 10),
  };
}
