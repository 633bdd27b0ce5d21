import { z } from 'zod';
import type { AlertRow } from './ingest.ts';
import { type IntegrationRow, intakeUrls } from './integrations.ts';

export const IntegrationView = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  enabled: z.boolean(),
  secret_hint: z.string().describe('Last four characters of the secret, to tell secrets apart'),
  created_at: z.string(),
  rotated_at: z.string().nullable(),
  disabled_at: z.string().nullable(),
  mapping: z.record(z.string(), z.unknown()).nullable().describe('How a webhook integration reads its posts'),
});

export const IntegrationWithSecret = IntegrationView.extend({
  secret: z.string().describe('Shown once; store it in the sending tool'),
  endpoints: z.record(z.string(), z.string()).describe('What to paste into the sending tool'),
});

export function integrationView(r: IntegrationRow): z.infer<typeof IntegrationView> {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    enabled: r.enabled,
    secret_hint: r.secretHint,
    created_at: r.createdAt.toISOString(),
    rotated_at: r.rotatedAt?.toISOString() ?? null,
    disabled_at: r.disabledAt?.toISOString() ?? null,
    mapping: r.mapping ?? null,
  };
}

export function withSecret(publicUrl: string, r: IntegrationRow, secret: string) {
  return { ...integrationView(r), secret, endpoints: intakeUrls(publicUrl, r.type, secret) };
}

export const AlertView = z.object({
  id: z.string(),
  source: z.string(),
  fingerprint: z.string(),
  status: z.enum(['firing', 'resolved']),
  title: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  starts_at: z.string(),
  ends_at: z.string().nullable(),
  first_seen_at: z.string(),
  last_seen_at: z.string(),
  count: z.number().int(),
  flapping: z.boolean(),
  suppressed: z.boolean(),
  route: z.string().nullable(),
  action: z
    .string()
    .describe('What routing did: open, attach, reopen, notify, notify_skipped, drop, suppressed'),
  incident_id: z.string().nullable(),
});
export const AlertDetail = AlertView.extend({ raw: z.unknown() });

export function alertView(a: AlertRow): z.infer<typeof AlertView> {
  return {
    id: a.id,
    source: a.source,
    fingerprint: a.fingerprint,
    status: a.status,
    title: a.title,
    labels: a.labels,
    annotations: a.annotations,
    starts_at: a.startsAt.toISOString(),
    ends_at: a.endsAt?.toISOString() ?? null,
    first_seen_at: a.firstSeenAt.toISOString(),
    last_seen_at: a.lastSeenAt.toISOString(),
    count: a.count,
    flapping: a.flapping,
    suppressed: a.suppressedBy !== null,
    route: a.routeKey,
    action: a.action,
    incident_id: a.incidentId,
  };
}
