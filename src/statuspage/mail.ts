import nodemailer, { type Transporter } from 'nodemailer';

export type Mail = {
  to: string;
  subject: string;
  text: string;
  headers?: Record<string, string>;
};

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** A delivery that will never succeed, so retrying it is pointless (an SMTP 5xx, a 4xx webhook). */
export class PermanentFailure extends Error {}

/**
 * SMTP from SIAGA_SMTP_URL (smtp://host:port, smtps:// for TLS) and SIAGA_SMTP_FROM; the notify
 * module reads the same two variables. Without a URL, e-mail deliveries fail and say why.
 */
export function mailerFrom(environment: NodeJS.ProcessEnv): Mailer {
  const url = environment.SIAGA_SMTP_URL;
  const from = environment.SIAGA_SMTP_FROM || 'Siaga status <status@localhost>';
  if (url && !/^smtps?:\/\//.test(url))
    throw new Error(`SIAGA_SMTP_URL must start with smtp:// or smtps:// (got "${url}")`);
  let transport: Transporter | null = null;
  return {
    async send(mail) {
      if (!url) throw new Error('SIAGA_SMTP_URL is not set: e-mail cannot be sent');
      transport ??= nodemailer.createTransport(url);
      try {
        await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          headers: mail.headers,
        });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500)
          throw new PermanentFailure(`SMTP ${code}: ${(err as Error).message}`);
        throw err;
      }
    },
  };
}
