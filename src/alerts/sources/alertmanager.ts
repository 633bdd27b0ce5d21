import { labelFingerprint } from '../match.ts';
import type { IncomingAlert } from '../model.ts';
import { arr, instant, labelSet, obj, PayloadError, str } from './errors.ts';

function titleOf(labels: Record<string, string>, annotations: Record<string, string>): string {
  return (annotations.summary || annotations.title || labels.alertname || 'alert').slice(0, 200);
}

/**
 * Alertmanager's API v2 body, as Prometheus posts it: a list of alerts. An alert whose endsAt
 * has passed is resolved; a firing alert carries an endsAt in the future (its resend horizon).
 */
export function parseV2Alerts(body: unknown, now: Date, source: string): IncomingAlert[] {
  return arr(body, '(body)').map((item, i) => {
    const f = `[${i}]`;
    const a = obj(item, f);
    const labels = labelSet(a.labels, `${f}.labels`, { required: true });
    if (Object.keys(labels).length === 0) throw new PayloadError(`${f}.labels`, 'must not be empty');
    const annotations = labelSet(a.annotations, `${f}.annotations`);
    const startsAt = instant(a.startsAt, `${f}.startsAt`) ?? now;
    const endsAt = instant(a.endsAt, `${f}.endsAt`);
    str(a.generatorURL, `${f}.generatorURL`, { optional: true, max: 4096 });
    return {
      source,
      fingerprint: labelFingerprint(labels),
      status: endsAt && endsAt.getTime() <= now.getTime() ? 'resolved' : 'firing',
      title: titleOf(labels, annotations),
      labels,
      annotations,
      startsAt,
      endsAt,
      raw: a,
    } satisfies IncomingAlert;
  });
}

/**
 * The webhook receiver payload, version 4 (Alertmanager's webhook_configs; Grafana sends the
 * same shape with a few additions). Each alert says firing or resolved itself.
 */
export function parseWebhook(
  body: unknown,
  now: Date,
  source: string,
  opts: { version?: string } = {},
): IncomingAlert[] {
  const b = obj(body, '');
  if (opts.version && b.version !== undefined && b.version !== opts.version)
    throw new PayloadError(
      'version',
      `expected "${opts.version}", the webhook payload version this receiver speaks`,
    );
  const alerts = arr(b.alerts, 'alerts');
  const common = labelSet(b.commonLabels, 'commonLabels');
  return alerts.map((item, i) => {
    const f = `alerts[${i}]`;
    const a = obj(item, f);
    const status = str(a.status, `${f}.status`);
    if (status !== 'firing' && status !== 'resolved')
      throw new PayloadError(`${f}.status`, 'expected "firing" or "resolved"');
    const labels = { ...common, ...labelSet(a.labels, `${f}.labels`, { required: true }) };
    const annotations = labelSet(a.annotations, `${f}.annotations`);
    return {
      source,
      fingerprint: labelFingerprint(labels),
      status,
      title: titleOf(labels, annotations),
      labels,
      annotations,
      startsAt: instant(a.startsAt, `${f}.startsAt`) ?? now,
      endsAt: instant(a.endsAt, `${f}.endsAt`),
      raw: a,
    } satisfies IncomingAlert;
  });
}
