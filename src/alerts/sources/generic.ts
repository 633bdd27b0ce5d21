import type { WebhookMapping } from '../../plans/schema/webhook-mapping.ts';
import { getPath, type PathStep, parsePath } from '../../shared/json-path.ts';
import { labelFingerprint } from '../match.ts';
import type { IncomingAlert } from '../model.ts';
import { arr, instant, PayloadError } from './errors.ts';

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

/** A mapping with every path parsed, so a post with many alerts parses no path twice. */
export type CompiledMapping = {
  mapping: WebhookMapping;
  alerts?: PathStep[];
  paths: Record<Scalar, PathStep[] | undefined>;
  startsAt?: PathStep[];
  labels: [name: string, path: string, steps: PathStep[]][];
  resolved: Set<string>;
};

export function compileMapping(mapping: WebhookMapping): CompiledMapping {
  const compiled = (text: string | undefined) => (text === undefined ? undefined : parsePath(text));
  return {
    mapping,
    alerts: compiled(mapping.alerts),
    paths: Object.fromEntries(
      (['title', 'dedup_key', 'status', 'severity', 'service'] as const).map((k) => [
        k,
        compiled(mapping[k]),
      ]),
    ) as Record<Scalar, PathStep[] | undefined>,
    startsAt: compiled(mapping.starts_at),
    labels: Object.entries(mapping.labels).map(([name, path]) => [name, path, parsePath(path)]),
    resolved: new Set(mapping.resolved_values.map((v) => v.toLowerCase())),
  };
}

/**
 * Any JSON post turned into alerts by the integration's mapping. A problem names the path in the
 * body that the mapping pointed at, so the sender sees which of its fields is missing.
 */
export function parseGeneric(
  body: unknown,
  compiled: CompiledMapping,
  now: Date,
  source: string,
): IncomingAlert[] {
  const { mapping, alerts: alertsAt, paths, startsAt, resolved } = compiled;
  const items: { item: unknown; at: string }[] = alertsAt
    ? arr(getPath(body, alertsAt), mapping.alerts!).map((item, i) => ({
        item,
        at: `${mapping.alerts}[${i}]`,
      }))
    : [{ item: body, at: '$' }];
  if (items.length > 1000) throw new PayloadError(mapping.alerts ?? '$', 'more than 1000 alerts in one post');
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
    for (const [name, path, steps] of compiled.labels) {
      const v = scalar(getPath(item, steps), field(path), false);
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
