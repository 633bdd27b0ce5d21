import { z } from 'zod';
import { CONTACT_KINDS } from './tables.ts';

const HTTP_URL = /^https?:\/\/[^\s/]+/i;

/** Each kind's address rule, with the message a person can act on. */
function checkAddress(
  v: { kind: string; address: string; secret?: string },
  ctx: { addIssue(i: { code: 'custom'; path: string[]; message: string }): void },
): void {
  const bad = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (v.kind === 'email') {
    if (!z.email().safeParse(v.address).success) bad('address', 'expected an e-mail address');
  } else if (v.kind === 'telegram') {
    if (!/^(-?\d{1,20}|@[A-Za-z]\w{4,31})$/.test(v.address))
      bad('address', 'expected a Telegram chat id (a number, negative for groups) or @channelusername');
  } else if (!HTTP_URL.test(v.address)) {
    bad('address', `expected an http(s) URL for a ${v.kind} ${v.kind === 'ntfy' ? 'topic' : 'webhook'}`);
  }
  if (v.kind === 'webhook' && (v.secret === undefined || v.secret.length < 16))
    bad('secret', 'a generic webhook needs a signing secret of at least 16 characters');
}

export const ContactInput = z
  .strictObject({
    kind: z.enum(CONTACT_KINDS).describe('email, slack, teams, telegram, ntfy or webhook'),
    address: z
      .string()
      .min(1)
      .max(2000)
      .describe('E-mail address, webhook URL, Telegram chat id or ntfy topic URL'),
    label: z.string().min(1).max(100).optional().describe('Name shown in lists (default: the kind)'),
    secret: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Webhook: the HMAC-SHA256 signing key; ntfy: an access token'),
  })
  .superRefine(checkAddress);
export type ContactInput = z.output<typeof ContactInput>;

export const ContactView = z.object({
  id: z.string(),
  user_id: z.string(),
  kind: z.enum(CONTACT_KINDS),
  label: z.string(),
  address: z.string(),
  has_secret: z.boolean(),
  created_at: z.string(),
});

export const RulesInput = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        contact_id: z.uuid().describe('One of your contact methods'),
        after: z
          .string()
          .regex(/^(0|immediate|\d+[smh])$/, 'expected "immediate" or a delay like "30s", "2m", "1h"')
          .default('immediate')
          .describe('How long after the page; later rules fire only while it is unacknowledged'),
      }),
    )
    .max(20)
    .describe('Replaces all your rules; an empty list means "every contact method at once"'),
});

export const RuleView = z.object({
  id: z.string(),
  contact_id: z.string(),
  kind: z.string(),
  after_seconds: z.number(),
});

export const EndpointInput = z
  .strictObject({
    kind: z.enum(CONTACT_KINDS),
    address: z
      .string()
      .min(1)
      .max(2000)
      .describe('Webhook URL, chat id, topic URL, or comma-separated e-mail addresses'),
    secret: z.string().min(1).max(500).optional(),
    drill: z.boolean().default(false).describe("Where the channel's drill_target posts"),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'email') {
      const bad = v.address.split(/[,\s]+/).filter((a) => a && !z.email().safeParse(a).success);
      if (bad.length > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['address'],
          message: `not an e-mail address: ${bad.join(', ')}`,
        });
      return;
    }
    checkAddress(v, ctx);
  });

export const EndpointView = z.object({
  channel_key: z.string(),
  drill: z.boolean(),
  kind: z.enum(CONTACT_KINDS),
  address: z.string(),
  has_secret: z.boolean(),
});

export function delaySeconds(after: string): number {
  if (after === 'immediate' || after === '0') return 0;
  const n = Number(after.slice(0, -1));
  return n * { s: 1, m: 60, h: 3600 }[after.slice(-1) as 's' | 'm' | 'h'];
}
