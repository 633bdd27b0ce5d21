import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StatusWorld, statusWorld } from '../../test/support/statuspage.ts';
import { mailerFrom } from './mail.ts';

type Received = { to: string; raw: string };

/** Just enough of RFC 5322 and quoted-printable to read what nodemailer sends. */
function parseMail(raw: string) {
  const i = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, i).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const c = line.indexOf(':');
    headers.set(line.slice(0, c).toLowerCase(), line.slice(c + 1).trim());
  }
  let text = raw.slice(i + 4);
  if (headers.get('content-transfer-encoding') === 'quoted-printable')
    text = Buffer.from(
      text
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_m, h) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return { headers, subject: headers.get('subject'), text };
}
let w: StatusWorld;
let smtp: SMTPServer;
let hook: Server;
const inbox: Received[] = [];
const hooks: { body: unknown; headers: Record<string, unknown> }[] = [];

beforeEach(async () => {
  inbox.length = 0;
  hooks.length = 0;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(addr, _s, cb) {
      if (addr.address.endsWith('@bounce.test'))
        return cb(Object.assign(new Error('no such user'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => {
        raw += d.toString();
      });
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), raw });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      hooks.push({ body: JSON.parse(body), headers: req.headers });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const port = (smtp.server.address() as AddressInfo).port;
  w = await statusWorld({
    mailer: mailerFrom({ SIAGA_SMTP_URL: `smtp://127.0.0.1:${port}`, SIAGA_SMTP_FROM: 'status@acme.test' }),
  });
});
afterEach(async () => {
  await w.close();
  await new Promise((r) => smtp.close(() => r(null)));
  await new Promise((r) => hook.close(r));
});

async function until(cond: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 400; i++) {
    if (await cond()) return;
    await w.clock.pass(1000);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition never held');
}

describe('subscribers', () => {
  it('double opt-in by e-mail, one delivery per update, one-click unsubscribe, admin export and webhooks', async () => {
    await w.api.call('POST', '/api/v1/statuspage/pages', { slug: 'acme', name: 'Acme Status' });
    await w.api.call('POST', '/api/v1/statuspage/pages/acme/components', {
      name: 'Checkout',
      service: 'checkout',
    });
    const hookPort = (hook.address() as AddressInfo).port;
    const wh = await w.api.call('POST', '/api/v1/statuspage/pages/acme/subscribers', {
      url: `http://127.0.0.1:${hookPort}/statuspage`,
    });
    expect(wh.statusCode, wh.body).toBe(201);
    await w.mod.cache().settled();

    const bad = await w.api.call(
      'POST',
      '/status/acme/subscribe',
      { email: 'not-an-address' },
      { token: null },
    );
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).errors[0].field).toBe('email');
    const form = await w.api.call('POST', '/status/acme/subscribe', 'email=Reader%40example.test&lang=en', {
      token: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Check your inbox');
    await w.api.call('POST', '/status/acme/subscribe', { email: 'gone@bounce.test' }, { token: null });
    await until(() => inbox.length >= 1);
    const confirm = parseMail(inbox[0]!.raw);
    expect(inbox[0]!.to).toBe('reader@example.test');
    const link = /(http\S+\/confirm\?token=\S+)/.exec(confirm.text ?? '')![1]!;
    const ok = await w.api.call('GET', new URL(link).pathname + new URL(link).search, undefined, {
      token: null,
    });
    expect(ok.statusCode).toBe(200);

    // An update goes to the confirmed subscriber and the webhook, once each.
    const inc = JSON.parse(
      (
        await w.api.call('POST', '/api/v1/incidents', {
          title: 'Checkout failing',
          type: 'outage',
          severity: 'P1',
          services: ['checkout'],
        })
      ).body,
    );
    await w.api.call('POST', `/api/v1/incidents/${inc.ref}/updates`, {
      audience: 'customers',
      fields: { summary: 'failed payments', customer_action: 'Retry later.' },
    });
    await until(() => inbox.length >= 2 && hooks.length >= 1);
    await w.clock.pass(5000);
    expect(inbox.length).toBe(2);
    const mail = parseMail(inbox[1]!.raw);
    expect(mail.subject).toBe('[Acme Status] Checkout failing: Investigating');
    expect(mail.text).toContain('failed payments');
    const lu = String(mail.headers.get('list-unsubscribe'));
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const body = hooks[0]!.body as {
      incident: { name: string; incident_updates: { body: string }[] };
      page: { status_indicator: string };
    };
    expect(body.incident.name).toBe('Checkout failing');
    expect(body.page.status_indicator).toBe('critical');
    expect(body.incident.incident_updates[0]!.body).toContain('failed payments');

    const exported = JSON.parse(
      (await w.api.call('GET', '/api/v1/statuspage/pages/acme/subscribers')).body,
    ).subscribers;
    const reader = exported.find((s: { address: string }) => s.address === 'reader@example.test');
    expect(reader.deliveries).toEqual({ sent: 1, failed: 0, pending: 0 });
    const bounced = exported.find((s: { address: string }) => s.address === 'gone@bounce.test');
    expect(bounced.confirmed_at).toBeNull();
    // The public page never shows an address.
    for (const p of ['/status/acme/', '/status/acme/api/v2/summary.json'])
      expect((await w.api.call('GET', p, undefined, { token: null })).body).not.toContain('example.test');

    // RFC 8058 one-click: POST the List-Unsubscribe URL with the one-click body.
    const u = new URL(/<([^>]+)>/.exec(lu)![1]!);
    const un = await w.api.call('POST', u.pathname + u.search, 'List-Unsubscribe=One-Click', {
      token: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(un.statusCode).toBe(200);
    const after = JSON.parse(
      (await w.api.call('GET', '/api/v1/statuspage/pages/acme/subscribers')).body,
    ).subscribers;
    expect(after.map((s: { address: string }) => s.address).sort()).toEqual([
      'gone@bounce.test',
      `http://127.0.0.1:${hookPort}/statuspage`,
    ]);
    const del = await w.api.call('DELETE', `/api/v1/statuspage/pages/acme/subscribers/${bounced.id}`);
    expect(del.statusCode).toBe(204);
  });
});
