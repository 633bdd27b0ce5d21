import type { IncomingAlert } from '../model.ts';
import { instant, obj, PayloadError, str } from './errors.ts';

export const PD_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
const ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;

export type PagerDutyEvent = {
  routingKey: string;
  dedupKey: string;
  action: (typeof ACTIONS)[number];
  alert: IncomingAlert;
};

/**
 * One PagerDuty Events API v2 event. PagerDuty answers problems as a list of messages rather
 * than field paths; the first field is kept for Siaga's own logs.
 */
export function parsePagerDuty(
  body: unknown,
  now: Date,
  source: string,
  newKey: () => string,
): PagerDutyEvent {
  const b = obj(body, '');
  const routingKey = str(b.routing_key, 'routing_key', { max: 256 });
  const action = str(b.event_action, 'event_action');
  if (!(ACTIONS as readonly string[]).includes(action))
    throw new PayloadError('event_action', `must be one of ${ACTIONS.join(', ')}`);
  const given = str(b.dedup_key, 'dedup_key', { optional: true, max: 255 });
  if (action !== 'trigger' && !given) throw new PayloadError('dedup_key', `is required for ${action} events`);
  const dedupKey = given || newKey();
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  let title = dedupKey;
  let startsAt = now;
  if (action === 'trigger') {
    const p = obj(b.payload, 'payload');
    title = str(p.summary, 'payload.summary', { max: 1024 });
    const sev = str(p.severity, 'payload.severity');
    if (!(PD_SEVERITIES as readonly string[]).includes(sev))
      throw new PayloadError('payload.severity', `must be one of ${PD_SEVERITIES.join(', ')}`);
    labels.severity = sev;
    labels.source = str(p.source, 'payload.source', { max: 1024 });
    for (const k of ['component', 'group', 'class'] as const) {
      const v = str(p[k], `payload.${k}`, { optional: true });
      if (v) labels[k] = v;
    }
    startsAt = instant(p.timestamp, 'payload.timestamp') ?? now;
    if (p.custom_details !== undefined) {
      const d = p.custom_details;
      if (d && typeof d === 'object' && !Array.isArray(d)) {
        for (const [k, v] of Object.entries(d))
          annotations[k] = typeof v === 'string' ? v : JSON.stringify(v);
      } else annotations.details = typeof d === 'string' ? d : JSON.stringify(d);
    }
    annotations.summary = title;
  }
  const status = action === 'resolve' ? 'resolved' : 'firing';
  const { routing_key: _secret, ...raw } = b;
  return {
    routingKey,
    dedupKey,
    action: action as PagerDutyEvent['action'],
    // Acknowledge and resolve carry no payload: they change the alert's state, not its content.
    alert: {
      statusOnly: action !== 'trigger',
      source,
      fingerprint: `pd:${dedupKey}`,
      status,
      title: title.slice(0, 200),
      labels,
      annotations,
      startsAt,
      raw,
    },
  };
}
