import { createHmac } from 'node:crypto';
import { JSON_HEADERS, post } from './http-post.ts';
import { type Message, type SendResult, type Transport, titleOf } from './message.ts';

/** Telegram's limit for one message's text. */
const TELEGRAM_MAX = 4096;

function withLinks(m: Message): string {
  const links = m.actions.map((a) => `${a.label}: ${a.url}`).join('\n');
  return links ? `${m.text}\n\n${links}` : m.text;
}

/**
 * Bot API sendMessage (https://core.telegram.org/bots/api#sendmessage). Plain text, no
 * parse_mode, so nothing in an incident title needs escaping. Inline URL buttons only for https
 * links: Telegram refuses buttons pointing at localhost or plain http, which would lose the page.
 */
export function telegramPayload(m: Message, chatId: string): Record<string, unknown> {
  const text = `${titleOf(m)}\n\n${withLinks(m)}`.slice(0, TELEGRAM_MAX);
  const buttons = m.actions.filter((a) => a.url.startsWith('https://'));
  return {
    chat_id: chatId,
    text,
    link_preview_options: { is_disabled: true },
    ...(buttons.length > 0
      ? { reply_markup: { inline_keyboard: [buttons.map((a) => ({ text: a.label, url: a.url }))] } }
      : {}),
  };
}

export const telegram: Transport = {
  async send(m, to, s): Promise<SendResult> {
    if (!s.telegram.token) {
      return { ok: false, error: 'SIAGA_TELEGRAM_BOT_TOKEN is not set', retryable: false };
    }
    const url = `${s.telegram.api.replace(/\/$/, '')}/bot${s.telegram.token}/sendMessage`;
    return post(url, JSON.stringify(telegramPayload(m, to.address)), JSON_HEADERS, s.timeoutMs);
  },
};

/** HTTP headers are Latin-1; ntfy decodes RFC 2047 encoded words for anything else. */
function headerText(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

const NTFY_PRIORITY = { urgent: '5', high: '4', default: '3' } as const;
const NTFY_TAGS = { urgent: 'rotating_light', high: 'warning', default: 'information_source' } as const;

/** ntfy publish by POST to the topic URL (https://docs.ntfy.sh/publish/): body is the message. */
export function ntfyRequest(
  m: Message,
  token: string | null,
): { body: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    Title: headerText(titleOf(m)),
    Priority: NTFY_PRIORITY[m.priority],
    Tags: m.drill ? `${NTFY_TAGS[m.priority]},drill` : NTFY_TAGS[m.priority],
  };
  if (m.actions.length > 0) {
    headers.Actions = m.actions.map((a) => `view, ${a.label}, ${a.url}, clear=true`).join('; ');
  }
  if (m.url) headers.Click = m.url;
  if (token) headers.Authorization = `Bearer ${token}`;
  return { body: m.text, headers };
}

export const ntfy: Transport = {
  send(m, to, s) {
    const r = ntfyRequest(m, to.secret);
    return post(to.address, r.body, r.headers, s.timeoutMs);
  },
};

export const SIGNATURE_HEADER = 'x-siaga-signature';
export const TIMESTAMP_HEADER = 'x-siaga-timestamp';

/** HMAC-SHA256 over `timestamp.body`, hex: the receiver recomputes it with the shared secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookBody(m: Message): Record<string, unknown> {
  return {
    type: 'siaga.notice',
    kind: m.kind,
    subject: titleOf(m),
    text: m.text,
    drill: m.drill,
    priority: m.priority,
    url: m.url ?? null,
    actions: m.actions,
    idempotency_key: m.idempotencyKey,
  };
}

export const webhook: Transport = {
  send(m, to, s) {
    const body = JSON.stringify(webhookBody(m));
    const timestamp = String(Math.floor(s.clock.now().getTime() / 1000));
    const headers: Record<string, string> = {
      ...JSON_HEADERS,
      [TIMESTAMP_HEADER]: timestamp,
      'idempotency-key': m.idempotencyKey,
    };
    if (to.secret) headers[SIGNATURE_HEADER] = signWebhook(to.secret, timestamp, body);
    return post(to.address, body, headers, s.timeoutMs);
  },
};
