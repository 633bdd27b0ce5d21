import { z } from 'zod';
import { DurationSchema, KeySchema, MatcherSchema, TargetSchema } from './primitives.ts';
import { WebhookMapping } from './webhook-mapping.ts';

export const ROUTE_ACTIONS = ['open', 'attach', 'notify', 'drop'] as const;

/** Decides what an incoming alert becomes. The first rule that matches wins. */
export const RouteSchema = z.strictObject({
  key: KeySchema.optional().describe('Rule key, for logs'),
  match: z
    .record(z.string(), MatcherSchema)
    .default({})
    .describe('Label or field → matcher; every matcher must hold'),
  action: z
    .enum(ROUTE_ACTIONS)
    .default('open')
    .describe('What a matching alert does: open an incident, attach, notify, drop'),
  service: KeySchema.optional().describe('Service of the incident'),
  type: KeySchema.optional().describe('Incident type of the incident'),
  severity: KeySchema.optional().describe('Severity of the incident'),
  severity_from: z
    .strictObject({
      label: z.string().describe('Alert label to read'),
      map: z.record(z.string(), KeySchema).describe('Label value → severity key'),
      default: KeySchema.optional().describe('Severity when the value is not in the map'),
    })
    .optional()
    .describe("Map a label's value to a severity key ({ label: severity, map: { critical: P1 } })"),
  group_by: z
    .array(z.string())
    .optional()
    .describe('Labels that put alerts in the same group, hence the same incident'),
  group_window: DurationSchema.optional().describe('How long alerts keep joining the same group'),
  notify: z
    .array(TargetSchema)
    .optional()
    .describe('Who a "notify" rule tells (a schedule, a team, a user); nobody is paged for an incident'),
});
export type Route = z.output<typeof RouteSchema>;

export const RoutingSchema = z.strictObject({
  rules: z.array(RouteSchema).default([]).describe('Rules, first match wins'),
  on_all_resolved: z
    .enum(['monitoring', 'resolve', 'nothing'])
    .default('monitoring')
    .describe('When every alert of an incident resolves: move it to monitoring, resolve it, or leave it'),
  reopen_window: DurationSchema.optional().describe(
    'Re-firing within this window reopens the incident instead of opening another',
  ),
  flapping: z
    .strictObject({
      flips: z
        .number()
        .int()
        .min(2)
        .default(4)
        .describe('Firing/resolved changes that make an alert flapping'),
      window: DurationSchema.describe('Within how long those changes count'),
    })
    .optional()
    .describe('An alert that changes state this often is held back (no incident changes) and flagged'),
  webhooks: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'an integration name'), WebhookMapping)
    .default({})
    .describe(
      'Generic webhook integration name → where its posts keep title, status and labels; one set on the integration wins',
    ),
});
export type Routing = z.output<typeof RoutingSchema>;
