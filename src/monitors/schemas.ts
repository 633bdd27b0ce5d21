import { z } from 'zod';
import { MONITOR_KINDS } from './tables.ts';

const Key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lowercase letters, digits, "_", "-" or "." (at most 64)');
const HostPort = z
  .string()
  .max(300)
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'host:port, such as db.internal:5432')
  .refine((s) => {
    const port = Number(s.slice(s.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'the port must be 1 to 65535');

const common = {
  key: Key.describe('Identifier, used in alert labels and the push URL'),
  name: z.string().trim().min(1).max(200),
  interval_seconds: z.number().int().min(10).max(86_400).default(60).describe('Time between checks'),
  down_after_seconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(600)
    .describe('Raise the alert once down for more than this (seed 000: 10 minutes)'),
  component_id: z.uuid().nullable().optional().describe('Status page component whose uptime bars it feeds'),
  enabled: z.boolean().default(true),
};

export const MonitorInput = z.discriminatedUnion('kind', [
  z.strictObject({
    ...common,
    kind: z.literal('http'),
    url: z
      .url()
      .max(2000)
      .refine((u) => /^https?:\/\//i.test(u), 'an http:// or https:// URL'),
    method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
    expected_status: z.number().int().min(100).max(599).nullable().default(null).describe('Default: any 2xx'),
    keyword: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .default(null)
      .describe('Text the response body must contain'),
    timeout_ms: z.number().int().min(100).max(60_000).default(10_000),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('tcp'),
    target: HostPort,
    timeout_ms: z.number().int().min(100).max(60_000).default(10_000),
  }),
  z.strictObject({ ...common, kind: z.literal('push') }),
]);
export type MonitorInput = z.output<typeof MonitorInput>;
export { MONITOR_KINDS };
