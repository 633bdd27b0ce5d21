import nodemailer, { type Transporter } from 'nodemailer';
import { sha256Hex } from '../../shared/ids.ts';
import { type Message, type SendResult, type Transport, titleOf } from './message.ts';

const transporters = new Map<string, Transporter>();

function transporterFor(url: string): Transporter {
  let t = transporters.get(url);
  if (!t) {
    t = nodemailer.createTransport(url);
    transporters.set(url, t);
  }
  return t;
}

export function emailText(m: Message): string {
  const lines = [m.text];
  if (m.actions.length > 0) lines.push('', ...m.actions.map((a) => `${a.label}: ${a.url}`));
  return lines.join('\n');
}

/**
 * One e-mail per delivery. The Message-ID is derived from the idempotency key, so a resend after
 * a crash carries the same id and mail clients show it once.
 */
export const email: Transport = {
  async send(m, to, s): Promise<SendResult> {
    if (!s.smtp) return { ok: false, error: 'SIAGA_SMTP_URL is not set', retryable: false };
    try {
      await transporterFor(s.smtp.url).sendMail({
        from: s.smtp.from,
        to: to.address,
        subject: titleOf(m),
        text: emailText(m),
        messageId: `<${sha256Hex(m.idempotencyKey).slice(0, 32)}@siaga>`,
        headers: {
          'X-Siaga-Kind': m.kind,
          'X-Siaga-Idempotency-Key': m.idempotencyKey,
          ...(m.priority === 'urgent' ? { Importance: 'high', 'X-Priority': '1' } : {}),
        },
      });
      return { ok: true };
    } catch (err) {
      const e = err as Error & { responseCode?: number };
      // 5xx from the server is permanent (bad address); 4xx and connection errors may pass later.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      return { ok: false, status: e.responseCode, error: e.message, retryable: !permanent };
    }
  },
};

export function closeMailTransports(): void {
  for (const t of transporters.values()) t.close();
  transporters.clear();
}
