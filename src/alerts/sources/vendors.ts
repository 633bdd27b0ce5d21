import type { Mapping } from '../tables.ts';
import { labelFingerprint } from '../match.ts';
import { type IncomingAlert, stringRecord } from '../model.ts';
import { parseWebhook } from './alertmanager.ts';
import { instant, obj, PayloadError, str } from './errors.ts';

/**
 * Sentry's integration-platform alert webhooks: issue alerts (`event_alert`, always
 * "triggered", keyed by the issue) and metric alerts (critical / warning / resolved, keyed by
 * the metric alert's id).
 */
export function parseSentry(body: unknown, now: Date, source: string): IncomingAlert[] {
  const b = obj(body, '');
  const action = str(b.action, 'action');
  const data = obj(b.data, 'data');
  if (data.metric_alert !== undefined) {
    const m = obj(data.metric_alert, 'data.metric_alert');
    const id = String(m.id ?? m.identifier ?? '');
    if (!id) throw new PayloadError('data.metric_alert.id', 'is required');
    if (!['critical', 'warning', 'resolved'].includes(action))
      throw new PayloadError('action', 'expected critical, warning or resolved for a metric alert');
    const rule = m.alert_rule && typeof m.alert_rule === 'object' ? (m.alert_rule as Record<string, unknown>) : {};
    const title = str(data.description_title, 'data.description_title', { optional: true }) || String(rule.name ?? 'Sentry metric alert');
    return [
      {
        source,
        fingerprint: `sentry:metric:${id}`,
        status: action === 'resolved' ? 'resolved' : 'firing',
        title: title.slice(0, 200),
        labels: { alertname: String(rule.name ?? 'sentry_metric_alert'), severity: action === 'resolved' ? 'critical' : action, source: 'sentry' },
        annotations: { description: str(data.description_text, 'data.description_text', { optional: true, max: 8192 }) },
        startsAt: instant(m.date_started, 'data.metric_alert.date_started') ?? now,
        raw: b,
      },
    ];
  }
  if (action !== 'triggered') throw new PayloadError('action', 'expected "triggered" for an issue alert');
  const e = obj(data.event, 'data.event');
  const issue = str(e.issue_id, 'data.event.issue_id', { max: 64 });
  const labels: Record<string, string> = { source: 'sentry' };
  if (Array.isArray(e.tags))
    for (const t of e.tags) if (Array.isArray(t) && typeof t[0] === 'string') labels[t[0]] = String(t[1] ?? '');
  const level = str(e.level, 'data.event.level', { optional: true });
  if (level) labels.level = level;
  const rule = str(data.triggered_rule, 'data.triggered_rule', { optional: true });
  if (rule) labels.alertname = rule;
  const title = str(e.title, 'data.event.title', { max: 2048 });
  return [
    {
      source,
      fingerprint: `sentry:issue:${issue}`,
      status: 'firing',
      title: title.slice(0, 200),
      labels,
      annotations: { summary: title, url: str(e.web_url, 'data.event.web_url', { optional: true, max: 4096 }) },
      startsAt: instant(e.datetime, 'data.event.datetime') ?? now,
      raw: b,
    },
  ];
}

/** Grafana's webhook contact point: the Alertmanager webhook shape, Grafana's "version 1". */
export function parseGrafana(body: unknown, now: Date, source: string): IncomingAlert[] {
  return parseWebhook(body, now, source);
}

function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const seg of path.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter(Boolean))) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function scalar(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A generic JSON webhook read through the integration's mapping of dotted paths. */
export function parseGeneric(body: unknown, now: Date, source: string, mapping: Mapping): IncomingAlert[] {
  obj(body, '');
  const title = scalar(at(body, mapping.title));
  if (!title) throw new PayloadError(mapping.title, 'is required by this integration’s mapping (title)');
  const labels = mapping.labels ? stringRecord(at(body, mapping.labels)) : {};
  if (mapping.severity) {
    const s = scalar(at(body, mapping.severity));
    if (s) labels.severity = s;
  }
  if (mapping.service) {
    const s = scalar(at(body, mapping.service));
    if (s) labels.service = s;
  }
  const statusText = mapping.status ? scalar(at(body, mapping.status)) : undefined;
  const resolved = (mapping.resolved_values ?? ['resolved', 'ok', 'OK', 'RESOLVED']).includes(statusText ?? '');
  const key = mapping.dedup_key ? scalar(at(body, mapping.dedup_key)) : undefined;
  if (mapping.dedup_key && !key) throw new PayloadError(mapping.dedup_key, 'is required by this integration’s mapping (dedup_key)');
  const startsAt = mapping.starts_at ? instant(at(body, mapping.starts_at), mapping.starts_at) : undefined;
  return [
    {
      source,
      fingerprint: key ? `generic:${key}` : labelFingerprint({ ...labels, title }),
      status: resolved ? 'resolved' : 'firing',
      title: title.slice(0, 200),
      labels,
      annotations: { summary: title },
      startsAt: startsAt ?? now,
      raw: body,
    },
  ];
}
