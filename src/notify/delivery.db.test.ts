import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyIn, notifyScenario, settle, testSettings, until } from '../../test/support/notify.ts';
import { type HttpReceiver, httpReceiver } from '../../test/support/receivers.ts';
import type { Scenario } from '../../test/support/scenario.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import { acknowledge } from '../incidents/verbs/lifecycle.ts';
import type { Notice } from '../kernel/ports.ts';
import { runVerb } from '../kernel/verb.ts';
import { addContact, setRules } from './contacts.ts';
import { auditDeliveries, claimDelivery } from './deliver.ts';
import type { NotifySettings } from './settings.ts';
import { notifyAttempts, notifyDeliveries, notifyNotices } from './tables.ts';

// Fake time fires every poll timer on the way, which takes real time on a shared machine.
vi.setConfig({ testTimeout: 120000, hookTimeout: 120000 });

let web: HttpReceiver;
beforeAll(async () => {
  web = await httpReceiver();
});
afterAll(() => web.close());

type World = { s: Scenario; bob: { id: string }; settings: NotifySettings };

async function world(over: NodeJS.ProcessEnv = {}): Promise<World> {
  web.requests.length = 0;
  const settings = testSettings({ SIAGA_NOTIFY_RETRY_BASE: '5s', ...over });
  const s = await notifyScenario(settings);
  await applyIn(s);
  const bob = await s.addMember({ email: 'bob@acme.test' });
  return { s, bob, settings };
}

const page = (w: World, n: number, extra: Partial<Notice> = {}) =>
  runVerb(w.s.env, w.s.admin.scope, (ctx) =>
    w.s.env.notifier!.notify(ctx, {
      dedupKey: `page:${n}`,
      kind: 'page',
      to: [{ user: w.bob.id }],
      subject: `Page ${n}`,
      text: `Something broke (${n})`,
      ...extra,
    }),
  );

const declare = (w: World, title = 'Checkout failing') =>
  runVerb(w.s.env, w.s.admin.scope, (ctx) => declareIncident(ctx, { title, type: 'outage', severity: 'P1' }));

const contact = (w: World, path: string, kind: 'webhook' | 'slack' = 'webhook') =>
  runVerb(w.s.env, w.s.admin.scope, (ctx) =>
    addContact(ctx, w.bob.id, {
      kind,
      address: `${web.url}${path}`,
      ...(kind === 'webhook' ? { secret: 'whsec_0123456789abcdef' } : {}),
    }),
  );

const deliveries = (w: World) =>
  w.s.database.db.select().from(notifyDeliveries).orderBy(asc(notifyDeliveries.createdAt));

describe('retries', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.s.close());

  it('retry with backoff against a receiver that fails twice, then record the send', async () => {
    await contact(w, '/flaky');
    web.failNext(503, 503);
    await page(w, 1);
    await until(w.s, async () => (await deliveries(w))[0]?.state === 'sent');
    expect(web.requests).toHaveLength(3);
    // Every attempt carries the same idempotency key, so a receiver can tell a retry from a new page.
    expect(new Set(web.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    const attempts = await w.s.database.db.select().from(notifyAttempts).orderBy(asc(notifyAttempts.attempt));
    expect(attempts.map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 503],
      [3, 'sent', 200],
    ]);
  });

  it('give up at once on a 4xx the receiver will never accept, and audit the failure', async () => {
    await contact(w, '/gone');
    web.failNext(404);
    await page(w, 1);
    await until(w.s, async () => (await deliveries(w))[0]?.state === 'failed');
    const [d] = await deliveries(w);
    expect(d!.attempts).toBe(1);
    expect(d!.reason).toMatch(/^HTTP 404/);
    const audit = await w.s.database.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action = 'notify.delivery_failed'",
    );
    expect(audit).toHaveLength(1);
  });
});

describe('a crash between claim and send', () => {
  let w: World;
  beforeEach(async () => {
    w = await world({ SIAGA_NOTIFY_LEASE: '60s' });
  });
  afterEach(() => w.s.close());

  it('pages exactly once: the lease keeps others off, and after it expires the auditor resends', async () => {
    await contact(w, '/once', 'slack');
    await page(w, 1);
    const [d] = await deliveries(w);
    // Process A claims the delivery and dies before sending.
    const claim = await claimDelivery(w.s.env, w.settings, d!.id);
    expect(claim && 'delivery' in claim).toBe(true);
    // The queued wake-up runs meanwhile and finds the row leased.
    await w.s.clock.pass(5_000);
    await settle();
    expect(web.requests).toHaveLength(0);
    expect(await claimDelivery(w.s.env, w.settings, d!.id)).toBeNull();
    // The lease runs out; the auditor gives the delivery a fresh wake-up (the periodic one may
    // already have, which is why this is at most one).
    await w.s.clock.pass(60_000);
    expect(await auditDeliveries(w.s.env)).toBeLessThanOrEqual(1);
    await until(w.s, async () => (await deliveries(w))[0]?.state === 'sent');
    // More time, more audits: nothing is sent again.
    await w.s.clock.pass(120_000);
    expect(await auditDeliveries(w.s.env)).toBe(0);
    await settle();
    expect(web.requests).toHaveLength(1);
    const attempts = await w.s.database.db.select().from(notifyAttempts).orderBy(asc(notifyAttempts.attempt));
    expect(attempts.map((a) => a.outcome)).toEqual(['failed', 'sent']);
    expect(attempts[0]!.error).toMatch(/lease expired/);
  });
});

describe('rules: at once, then later only while unacknowledged', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.s.close());

  it('sends the later rule only for the incident nobody acknowledged', async () => {
    const first = await contact(w, '/now');
    const later = await contact(w, '/later', 'slack');
    await runVerb(w.s.env, w.s.admin.scope, (ctx) =>
      setRules(ctx, w.bob.id, [
        { contact_id: first.id, after: 'immediate' },
        { contact_id: later.id, after: '2m' },
      ]),
    );
    const acked = await declare(w, 'Acked quickly');
    const ignored = await declare(w, 'Nobody answers');
    await page(w, 1, { incidentId: acked.id });
    await page(w, 2, { incidentId: ignored.id });
    await until(w.s, () => web.requests.filter((r) => r.path === '/now').length === 2);
    expect(web.requests.filter((r) => r.path === '/later')).toHaveLength(0);
    await runVerb(w.s.env, w.s.admin.scope, (ctx) => acknowledge(ctx, acked.id));
    await w.s.clock.passMinutes(3);
    await until(w.s, async () =>
      (await deliveries(w)).every((d) => d.state === 'sent' || d.state === 'skipped'),
    );
    const later2 = web.requests.filter((r) => r.path === '/later');
    expect(later2).toHaveLength(1);
    expect(JSON.parse(later2[0]!.body).text).toContain('Page 2');
    const skipped = (await deliveries(w)).filter((d) => d.state === 'skipped');
    expect(skipped.map((d) => d.reason)).toEqual(['acknowledged before this rule came due']);
  });
});

describe('a notification storm', () => {
  let w: World;
  beforeEach(async () => {
    w = await world({ SIAGA_NOTIFY_STORM_LIMIT: '3', SIAGA_NOTIFY_STORM_WINDOW: '10m' });
  });
  afterEach(() => w.s.close());

  it('folds everything above the cap into one summary when the window closes', async () => {
    await contact(w, '/storm', 'slack');
    for (let n = 1; n <= 7; n++) await page(w, n);
    await until(w.s, () => web.requests.length >= 3);
    await settle();
    expect(web.requests).toHaveLength(3);
    await w.s.clock.passMinutes(10);
    await until(w.s, () => web.requests.length >= 4);
    const summary = JSON.parse(web.requests[3]!.body);
    expect(summary.blocks[0].text.text).toBe('4 more notifications held back');
    for (const n of [4, 5, 6, 7]) expect(summary.text).toContain(`- Page ${n}`);
    const states = (await deliveries(w)).map((d) => d.state);
    expect(states.filter((x) => x === 'folded')).toHaveLength(4);
  });
});

describe('recipients that cannot be reached', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.s.close());

  it('are recorded with the reason, never silently dropped', async () => {
    const inc = await declare(w);
    await runVerb(w.s.env, w.s.admin.scope, (ctx) =>
      w.s.env.notifier!.notify(ctx, {
        dedupKey: 'page:x',
        kind: 'page',
        to: [{ schedule: 'primary' }, { role: 'comms', incidentId: inc.id }, { user: w.bob.id }],
        subject: 'x',
        text: 'x',
        incidentId: inc.id,
      }),
    );
    const [n] = await w.s.database.db
      .select()
      .from(notifyNotices)
      .where(eq(notifyNotices.dedupKey, 'page:x'));
    expect(n!.undeliverable).toEqual([
      {
        recipient: 'schedule primary',
        reason: 'this process has no on-call directory (the oncall module is not running)',
      },
      { recipient: 'role comms', reason: 'nobody holds the role comms on this incident' },
      { recipient: `user ${w.bob.id}`, reason: 'has no contact methods' },
    ]);
    expect(await deliveries(w)).toEqual([]);
  });

  it('resolve schedules through the on-call directory when one is wired', async () => {
    await contact(w, '/oncall', 'slack');
    w.s.env.oncall = {
      resolve: async (_ctx, to) => ('schedule' in to && to.schedule === 'primary' ? [w.bob.id] : []),
    };
    await page(w, 9, { to: [{ schedule: 'primary' }, { team: 'nobody' }] });
    await until(w.s, () => web.requests.length === 1);
    const [n] = await w.s.database.db.select().from(notifyNotices);
    expect(n!.undeliverable).toEqual([{ recipient: 'team nobody', reason: 'nobody is on call' }]);
  });
});
