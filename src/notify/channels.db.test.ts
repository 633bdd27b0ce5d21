import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyIn, notifyScenario, settle, testSettings, until } from '../../test/support/notify.ts';
import { type HttpReceiver, httpReceiver, type Mail, smtpReceiver } from '../../test/support/receivers.ts';
import type { Scenario } from '../../test/support/scenario.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import { runVerb } from '../kernel/verb.ts';
import { addContact } from './contacts.ts';
import { notifyAttempts, notifyDeliveries } from './tables.ts';

// Fake time fires every poll timer on the way, which takes real time on a shared machine.
vi.setConfig({ testTimeout: 120000, hookTimeout: 120000 });

let s: Scenario;
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let web: HttpReceiver;
let alice: { id: string };
let incidentId: string;
const SECRET = 'whsec_0123456789abcdef';

beforeAll(async () => {
  smtp = await smtpReceiver();
  web = await httpReceiver();
  s = await notifyScenario(
    testSettings({
      SIAGA_SMTP_URL: smtp.url,
      SIAGA_SMTP_FROM: 'Siaga <pager@siaga.test>',
      SIAGA_TELEGRAM_API: `${web.url}/telegram`,
      SIAGA_TELEGRAM_BOT_TOKEN: '123456:ABC-test',
    }),
  );
  await applyIn(s);
  alice = await s.addMember({ email: 'alice@acme.test', name: 'Alice' });
  const contacts = [
    { kind: 'email', address: 'alice@acme.test' },
    { kind: 'slack', address: `${web.url}/slack/T000/B000/XXXX` },
    { kind: 'teams', address: `${web.url}/teams/webhookb2/abc` },
    { kind: 'telegram', address: '-100123456' },
    { kind: 'ntfy', address: `${web.url}/ntfy/alice-pager` },
    { kind: 'webhook', address: `${web.url}/hook`, secret: SECRET },
  ] as const;
  for (const c of contacts) await runVerb(s.env, s.admin.scope, (ctx) => addContact(ctx, alice.id, c));
  const d = await runVerb(s.env, s.admin.scope, (ctx) =>
    declareIncident(ctx, { title: 'Checkout failing', type: 'outage', severity: 'P1' }),
  );
  incidentId = d.id;
  await runVerb(s.env, s.admin.scope, (ctx) =>
    s.env.notifier!.notify(ctx, {
      dedupKey: 'page:checkout:1',
      kind: 'page',
      to: [{ user: alice.id }],
      subject: '[P1] INC-1 Checkout failing',
      text: 'Checkout returns 500 for 30% of requests.',
      incidentId,
      url: 'http://siaga.test/incidents/INC-1',
    }),
  );
  await until(s, () => smtp.mails.length >= 1 && web.requests.length >= 5);
});
afterAll(async () => {
  await s.close();
  await smtp.close();
  await web.close();
});

const on = (prefix: string) => web.requests.filter((r) => r.path.startsWith(prefix));
const ackUrl = (text: string) => /http:\/\/siaga\.test\/notify\/act\/[\w.-]+/.exec(text)?.[0];

describe('a page on every channel', () => {
  it('arrives as a real e-mail over SMTP with subject, sender, links and a stable Message-ID', () => {
    expect(smtp.mails).toHaveLength(1);
    const m = smtp.mails[0] as Mail;
    expect(m.to).toEqual(['alice@acme.test']);
    expect(m.from).toBe('pager@siaga.test');
    expect(m.headers.get('subject')).toBe('[P1] INC-1 Checkout failing');
    expect(m.headers.get('from')).toBe('Siaga <pager@siaga.test>');
    expect(m.headers.get('x-siaga-kind')).toBe('page');
    expect(m.headers.get('message-id')).toMatch(/^<[0-9a-f]{32}@siaga>$/);
    expect(m.body).toContain('Checkout returns 500 for 30% of requests.');
    expect(m.body).toMatch(/Acknowledge: http:\/\/siaga\.test\/notify\/act\//);
    expect(m.body).toMatch(/Resolve: http:\/\/siaga\.test\/notify\/act\//);
  });

  it('posts Slack Block Kit with a text fallback and link buttons', () => {
    const [r] = on('/slack/');
    expect(r!.method).toBe('POST');
    expect(r!.headers['content-type']).toMatch(/^application\/json/);
    const p = JSON.parse(r!.body);
    expect(p.text).toBe('[P1] INC-1 Checkout failing\nCheckout returns 500 for 30% of requests.');
    expect(p.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '[P1] INC-1 Checkout failing', emoji: true },
    });
    expect(p.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: 'Checkout returns 500 for 30% of requests.' },
    });
    expect(p.blocks[2].type).toBe('actions');
    expect(p.blocks[2].elements.map((e: { text: { text: string } }) => e.text.text)).toEqual([
      'Acknowledge',
      'Resolve',
      'Open',
    ]);
    expect(ackUrl(p.blocks[2].elements[0].url)).toBeDefined();
  });

  it('posts Teams an Adaptive Card attachment with OpenUrl actions', () => {
    const p = JSON.parse(on('/teams/')[0]!.body);
    expect(p.type).toBe('message');
    expect(p.attachments).toHaveLength(1);
    const a = p.attachments[0];
    expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(a.content.type).toBe('AdaptiveCard');
    expect(a.content.$schema).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
    expect(a.content.body[0]).toMatchObject({
      type: 'TextBlock',
      text: '[P1] INC-1 Checkout failing',
      wrap: true,
    });
    expect(a.content.actions.map((x: { type: string; title: string }) => [x.type, x.title])).toEqual([
      ['Action.OpenUrl', 'Acknowledge'],
      ['Action.OpenUrl', 'Resolve'],
      ['Action.OpenUrl', 'Open'],
    ]);
  });

  it('calls Telegram sendMessage at the configured API with the bot token, chat id and plain text', () => {
    const [r] = on('/telegram/');
    expect(r!.path).toBe('/telegram/bot123456:ABC-test/sendMessage');
    const p = JSON.parse(r!.body);
    expect(p.chat_id).toBe('-100123456');
    expect(p.text.startsWith('[P1] INC-1 Checkout failing\n\nCheckout returns 500')).toBe(true);
    expect(p.parse_mode).toBeUndefined();
    expect(p.link_preview_options).toEqual({ is_disabled: true });
    // The public URL is plain http here: Telegram would refuse such buttons, so the links go in the text.
    expect(p.reply_markup).toBeUndefined();
    expect(ackUrl(p.text)).toBeDefined();
  });

  it('publishes to the ntfy topic with Title, Priority, Tags, Actions and Click headers', () => {
    const [r] = on('/ntfy/');
    expect(r!.path).toBe('/ntfy/alice-pager');
    expect(r!.body).toBe('Checkout returns 500 for 30% of requests.');
    expect(r!.headers.title).toBe('[P1] INC-1 Checkout failing');
    expect(r!.headers.priority).toBe('5');
    expect(r!.headers.tags).toBe('rotating_light');
    expect(r!.headers.click).toBe('http://siaga.test/incidents/INC-1');
    const actions = String(r!.headers.actions).split('; ');
    expect(actions).toHaveLength(3);
    expect(actions[0]).toMatch(/^view, Acknowledge, http:\/\/siaga\.test\/notify\/act\/[\w.-]+, clear=true$/);
  });

  it('signs the generic webhook with HMAC-SHA256 over timestamp.body', () => {
    const [r] = on('/hook');
    const ts = String(r!.headers['x-siaga-timestamp']);
    expect(ts).toMatch(/^\d+$/);
    const want = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${r!.body}`).digest('hex')}`;
    expect(r!.headers['x-siaga-signature']).toBe(want);
    const wrong = `sha256=${createHmac('sha256', 'not-the-secret').update(`${ts}.${r!.body}`).digest('hex')}`;
    expect(r!.headers['x-siaga-signature']).not.toBe(wrong);
    const p = JSON.parse(r!.body);
    expect(p).toMatchObject({
      type: 'siaga.notice',
      kind: 'page',
      subject: '[P1] INC-1 Checkout failing',
      drill: false,
    });
    expect(r!.headers['idempotency-key']).toBe(p.idempotency_key);
  });

  it('records one sent delivery per contact method, each with its one attempt', async () => {
    // The receivers answer before the sender records the outcome: wait for those commits.
    const allSent = async () => {
      const r = await s.database.db.select().from(notifyDeliveries);
      return r.length === 6 && r.every((d) => d.state === 'sent');
    };
    for (let i = 0; i < 100 && !(await allSent()); i++) await settle(50);
    const rows = await s.database.db.select().from(notifyDeliveries);
    expect(rows.map((r) => r.state).sort()).toEqual(Array(6).fill('sent'));
    expect(new Set(rows.map((r) => r.idempotencyKey)).size).toBe(6);
    const attempts = await s.database.db.select().from(notifyAttempts);
    expect(attempts.map((a) => a.outcome)).toEqual(Array(6).fill('sent'));
  });

  it('does nothing when the same notice is sent again', async () => {
    await runVerb(s.env, s.admin.scope, (ctx) =>
      s.env.notifier!.notify(ctx, {
        dedupKey: 'page:checkout:1',
        kind: 'page',
        to: [{ user: alice.id }],
        subject: 'again',
        text: 'again',
        incidentId,
      }),
    );
    await s.clock.pass(3000);
    const rows = await s.database.db
      .select()
      .from(notifyDeliveries)
      .where(eq(notifyDeliveries.state, 'pending'));
    expect(rows).toEqual([]);
    expect(smtp.mails).toHaveLength(1);
    expect(web.requests).toHaveLength(5);
  });
});
