import { z } from 'zod';
import { labelFingerprint } from '../match.ts';
import type { IncomingAlert } from '../model.ts';
import { arr, instant, PayloadError } from './errors.ts';
import { getPath, type PathStep, PathSyntaxError, parsePath } from './json-path.ts';

const Path = z
  .string()
  .max(256)
  .superRefine((text, c) => {
    try {
      parsePath(text);
    } catch (e) {
      if (e instanceof PathSyntaxError) c.addIssue({ code: 'custom', message: e.message });
      else throw e;
    }
  });

/** Where a generic JSON webhook keeps what an alert needs. Stored on the integration. */
export const WebhookMapping = z
  .strictObject({
    alerts: Path.optional().describe('An array of alerts in the body; without it the body is one alert'),
    title: Path.describe('The alert title'),
    dedup_key: Path.optional().describe('What identifies the alert across posts; default: its labels'),
    status: Path.optional().describe('Firing or resolved; without it every post is firing'),
    resolved_values: z
      .array(z.string().max(64))
      .min(1)
      .max(20)
      .default(['resolved', 'ok', 'closed', 'recovered'])
      .describe('Values of status (compared case-insensitively) that mean resolved'),
    severity: Path.optional().describe('Becomes the severity label'),
    service: Path.optional().describe('Becomes the service label'),
    starts_at: Path.optional().describe('When the problem started (RFC 3339); default: when it arrived'),
    labels: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a label name'), Path)
      .default({})
      .describe('More labels, by name'),
  })
  .describe('Paths like "$.alert.title" or "items[0].name" into the posted JSON');
export type WebhookMapping = z.infer<typeof WebhookMapping>;

type Scalar = 'title' | 'dedup_key' | 'status' | 'severity' | 'service';

function scalar(value: unknown, field: string, required: boolean): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw new PayloadError(field, 'is required by this integration’s mapping');
    return undefined;
  }
  if (typeof value === 'string') return value.slice(0, 1024);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new PayloadError(field, 'expected a string, number or boolean');
}

/**
 * Any JSON post turned into alerts by the integration's mapping. A problem names the path in the
 * body that the mapping pointed at, so the sender sees which of its fields is missing.
 */
export function parseGeneric(
  body: unknown,
  mapping: WebhookMapping,
  now: Date,
  source: string,
): IncomingAlert[] {
  const compiled = (text: string | undefined) => (text === undefined ? undefined : parsePath(text));
  const alertsAt = compiled(mapping.alerts);
  const paths = Object.fromEntries(
    (['title', 'dedup_key', 'status', 'severity', 'service'] as const).map((k) => [k, compiled(mapping[k])]),
  ) as Record<Scalar, PathStep[] | undefined>;
  const startsAt = compiled(mapping.starts_at);
  const items: { item: unknown; at: string }[] = alertsAt
    ? arr(getPath(body, alertsAt), mapping.alerts!).map((item, i) => ({
        item,
        at: `${mapping.alerts}[${i}]`,
      }))
    : [{ item: body, at: '$' }];
  if (items.length > 1000) throw new PayloadError(mapping.alerts ?? '$', 'more than 1000 alerts in one post');
  const resolved = new Set(mapping.resolved_values.map((v) => v.toLowerCase()));
  return items.map(({ item, at }) => {
    const field = (path: string) => (at === '$' ? path : `${at}${path.replace(/^\$/, '')}`);
    const get = (k: Scalar, required = false) => {
      const steps = paths[k];
      return steps ? scalar(getPath(item, steps), field(mapping[k]!), required) : undefined;
    };
    const title = get('title', true)!;
    const labels: Record<string, string> = {};
    const severity = get('severity');
    if (severity) labels.severity = severity;
    const service = get('service');
    if (service) labels.service = service;
    for (const [name, path] of Object.entries(mapping.labels)) {
      const v = scalar(getPath(item, parsePath(path)), field(path), false);
      if (v !== undefined) labels[name] = v;
    }
    const status = get('status');
    const key = get('dedup_key');
    return {
      source,
      fingerprint: key ? `webhook:${key}` : labelFingerprint({ ...labels, title }),
      status: status && resolved.has(status.toLowerCase()) ? 'resolved' : 'firing',
      title: title.slice(0, 200),
      labels,
      annotations: { summary: title },
      startsAt: (startsAt ? instant(getPath(item, startsAt), field(mapping.starts_at!)) : undefined) ?? now,
      raw: item,
    } satisfies IncomingAlert;
  });
}
