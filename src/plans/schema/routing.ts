import { z } from 'zod';
import { DurationSchema, KeySchema, MatcherSchema } from './primitives.ts';

export const ROUTE_ACTIONS = ['open', 'attach', 'notify', 'drop'] as const;

/** Decides what an incoming alert becomes. The first rule that matches wins. */
export const RouteSchema = z.strictObject({
  key: KeySchema.optional(),
  /** Label or field → matcher; every matcher must hold. */
  match: z.record(z.string(), MatcherSchema).default({}),
  action: z.enum(ROUTE_ACTIONS).default('open'),
  service: KeySchema.optional(),
  type: KeySchema.optional(),
  severity: KeySchema.optional(),
  /** Map a label's value to a severity key ({ label: severity, map: { critical: P1 } }). */
  severity_from: z
    .strictObject({ label: z.string(), map: z.record(z.string(), KeySchema), default: KeySchema.optional() })
    .optional(),
  /** Labels that put alerts in the same group, hence the same incident. */
  group_by: z.array(z.string()).optional(),
  group_window: DurationSchema.optional(),
});
export type Route = z.output<typeof RouteSchema>;

export const RoutingSchema = z.strictObject({
  rules: z.array(RouteSchema).default([]),
  /** When every alert of an incident resolves: move it to monitoring, resolve it, or leave it. */
  on_all_resolved: z.enum(['monitoring', 'resolve', 'nothing']).default('monitoring'),
  /** Re-firing within this window reopens the incident instead of opening another. */
  reopen_window: DurationSchema.optional(),
});
export type Routing = z.output<typeof RoutingSchema>;
