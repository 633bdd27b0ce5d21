import type { IncomingAlert } from '../model.ts';
import { instant, obj, PayloadError, str } from './errors.ts';

/** The `Sentry-Hook-Resource` values that carry alerts; the others (installation, comment…) are acknowledged and ignored. */
export const SENTRY_ALERT_RESOURCES = ['event_alert', 'metric_alert', 'issue'] as const;
const IGNORED_RESOURCES = ['installation', 'comment', 'error', 'seer', 'preprod_artifact'];

const ISSUE_FIRING = ['created', 'unresolved'];
const ISSUE_RESOLVED = ['resolved', 'ignored', 'archived'];
const METRIC_ACTIONS = ['critical', 'warning', 'resolved'];

// Sentry sends ids as strings in some payloads and numbers in others.
function id(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return str(value, field, { max: 128 });
}

function put(labels: Record<string, string>, key: string, value: unknown): void {
  if (typeof value === 'string' && value) labels[key] = value.slice(0, 1024);
  else if (typeof value === 'number') labels[key] = String(value);
}

/**
 * A Sentry integration-platform webhook. Issue alerts (`event_alert`) and the issue lifecycle
 * (`issue`) share the issue id as fingerprint, so Sentry resolving the issue resolves the alert an
 * issue alert raised; metric alerts are keyed by Sentry's incident id. Sentry's level and the metric
 * alert's trigger label become the `level` and `severity` labels that plan routing maps.
 */
export function parseSentry(
  resource: string | undefined,
  body: unknown,
  now: Date,
  source: string,
): IncomingAlert[] {
  if (!resource) throw new PayloadError('Sentry-Hook-Resource', 'header is required');
  if (IGNORED_RESOURCES.includes(resource)) return [];
  const b = obj(body, '');
  const action = str(b.action, 'action', { max: 64 });
  const data = obj(b.data, 'data');
  const labels: Record<string, string> = { source: 'sentry' };
  const annotations: Record<string, string> = {};

  if (resource === 'event_alert') {
    if (action !== 'triggered') throw new PayloadError('action', 'expected "triggered" for event_alert');
    const e = obj(data.event, 'data.event');
    const issueId = id(e.issue_id, 'data.event.issue_id');
    const title = str(e.title, 'data.event.title');
    put(labels, 'level', e.level);
    put(labels, 'project', e.project);
    put(labels, 'rule', data.triggered_rule);
    if (Array.isArray(e.tags))
      for (const t of e.tags)
        if (Array.isArray(t) && typeof t[0] === 'string' && !(t[0] in labels)) put(labels, t[0], t[1]);
    put(annotations, 'summary', title);
    put(annotations, 'culprit', e.culprit);
    put(annotations, 'web_url', e.web_url);
    return [
      {
        source,
        fingerprint: `sentry:issue:${issueId}`,
        status: 'firing',
        title: title.slice(0, 200),
        labels,
        annotations,
        startsAt: instant(e.datetime, 'data.event.datetime') ?? now,
        raw: b,
      },
    ];
  }

  if (resource === 'issue') {
    if (action === 'assigned') return [];
    if (!ISSUE_FIRING.includes(action) && !ISSUE_RESOLVED.includes(action))
      throw new PayloadError(
        'action',
        `expected one of ${[...ISSUE_FIRING, ...ISSUE_RESOLVED, 'assigned'].join(', ')}`,
      );
    const issue = obj(data.issue, 'data.issue');
    const issueId = id(issue.id, 'data.issue.id');
    const title = str(issue.title, 'data.issue.title');
    put(labels, 'level', issue.level);
    const project = issue.project as Record<string, unknown> | undefined;
    put(labels, 'project', project && typeof project === 'object' ? project.slug : undefined);
    put(annotations, 'summary', title);
    put(annotations, 'culprit', issue.culprit);
    put(annotations, 'web_url', issue.web_url ?? issue.permalink);
    const resolved = ISSUE_RESOLVED.includes(action);
    return [
      {
        // Resolving changes the state of what the alert said, not its labels.
        statusOnly: resolved,
        source,
        fingerprint: `sentry:issue:${issueId}`,
        status: resolved ? 'resolved' : 'firing',
        title: title.slice(0, 200),
        labels,
        annotations,
        startsAt: instant(issue.firstSeen, 'data.issue.firstSeen') ?? now,
        endsAt: resolved ? now : undefined,
        raw: b,
      },
    ];
  }

  if (resource === 'metric_alert') {
    if (!METRIC_ACTIONS.includes(action))
      throw new PayloadError('action', `expected one of ${METRIC_ACTIONS.join(', ')}`);
    const m = obj(data.metric_alert, 'data.metric_alert');
    const incidentId = id(m.id, 'data.metric_alert.id');
    const rule = m.alert_rule === undefined ? {} : obj(m.alert_rule, 'data.metric_alert.alert_rule');
    const title =
      str(data.description_title, 'data.description_title', { optional: true }) ||
      str(m.title, 'data.metric_alert.title');
    if (action !== 'resolved') labels.severity = action;
    put(labels, 'rule', rule.name);
    put(annotations, 'summary', title);
    put(annotations, 'description', data.description_text);
    put(annotations, 'web_url', data.web_url);
    const resolved = action === 'resolved';
    return [
      {
        statusOnly: resolved,
        source,
        fingerprint: `sentry:metric:${incidentId}`,
        status: resolved ? 'resolved' : 'firing',
        title: title.slice(0, 200),
        labels,
        annotations,
        startsAt:
          instant(m.date_started, 'data.metric_alert.date_started') ??
          instant(m.date_detected, 'data.metric_alert.date_detected') ??
          now,
        endsAt: resolved ? (instant(m.date_closed, 'data.metric_alert.date_closed') ?? now) : undefined,
        raw: b,
      },
    ];
  }

  throw new PayloadError(
    'Sentry-Hook-Resource',
    `expected one of ${[...SENTRY_ALERT_RESOURCES, ...IGNORED_RESOURCES].join(', ')}`,
  );
}
