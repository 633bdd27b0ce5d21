import { z } from 'zod';
import { PathSyntaxError, parsePath } from '../../shared/json-path.ts';

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

/**
 * Where a generic JSON webhook's posts keep what an alert needs. Stored on the integration, or
 * written in the plan's `routing.webhooks` under the integration's name.
 */
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
