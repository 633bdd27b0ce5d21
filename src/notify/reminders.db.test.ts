import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyIn, notifyScenario, settle, testSettings, until } from '../../test/support/notify.ts';
import { type HttpReceiver, httpReceiver } from '../../test/support/receivers.ts';
import type { Scenario } from '../../test/support/scenario.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import { changeStatus } from '../incidents/verbs/lifecycle.ts';
import { assignRole } from '../incidents/verbs/people.ts';
import { postUpdate } from '../incidents/verbs/updates.ts';
import { runVerb } from '../kernel/verb.ts';
import { addContact } from './contacts.ts';
import { notifyNotices, notifyReminders } from './tables.ts';

// Fake time fires every poll timer on the way, which takes real time on a shared machine.
vi.setConfig({ testTimeout: 240000, hookTimeout: 240000 });

let s: Scenario;
let web: HttpReceiver;
let incidentId: string;

beforeAll(async () => {
  web = await httpReceiver();
  s = await notifyScenario(testSettings());
  await applyIn(s);
  const carol = await s.addMember({ email: 'carol@acme.test', name: 'Carol' });
  await runVerb(s.env, s.admin.scope, (ctx) =>
    addContact(ctx, carol.id, { kind: 'slack', address: `${web.url}/carol` }),
  );
  const d = await runVerb(s.env, s.admin.scope, (ctx) =>
    declareIncident(ctx, { title: 'Checkout failing', type: 'outage', severity: 'P1' }),
  );
  incidentId = d.id;
  await runVerb(s.env, s.admin.scope, (ctx) => assignRole(ctx, d.id, 'comms', 'carol@acme.test'));
});
afterAll(async () => {
  await s.close();
  await web.close();
});

const texts = () => web.requests.map((r) => JSON.parse(r.body).text as string);
const internal = () => texts().filter((t) => t.includes('update to Internal'));

describe('reminders from the plan’s update cadence (P1: internal every 30 minutes)', () => {
  it('30 minutes pass without an internal update: the comms lead is reminded before and at the deadline', async () => {
    await s.clock.passMinutes(23);
    await settle();
    expect(internal()).toEqual([]);
    await until(s, () => internal().length === 1);
    expect(internal()[0]).toMatch(/^\[INC-1\] An update to Internal is due in 6m/);
    await s.clock.passMinutes(6);
    await until(s, () => internal().length === 2);
    expect(internal()[1]).toMatch(/^\[INC-1\] An update to Internal is due now/);
  });

  it('the response target reminds the commander role, and says so when nobody holds it', async () => {
    const notices = await s.database.db
      .select()
      .from(notifyNotices)
      .where(eq(notifyNotices.kind, 'reminder'));
    const response = notices.filter((n) => n.subject.includes('response target'));
    expect(response.map((n) => n.subject)).toEqual([
      '[INC-1] The response target is missed in 3m unless acknowledged',
      '[INC-1] The response target is missed',
    ]);
    expect(response[0]!.undeliverable).toEqual([
      { recipient: 'role ic', reason: 'nobody holds the role ic on this incident' },
    ]);
  });

  it('an update is posted: the pending reminders for the old deadline are cancelled, no more come', async () => {
    await runVerb(s.env, s.admin.scope, (ctx) => postUpdate(ctx, incidentId, { audience: 'internal' }));
    const before = internal().length;
    await s.clock.passMinutes(20);
    await settle();
    expect(internal().length).toBe(before);
    const scheduled = await s.database.db
      .select()
      .from(notifyReminders)
      .where(eq(notifyReminders.clockKey, 'update:internal'));
    expect(scheduled.filter((r) => r.state === 'scheduled')).toHaveLength(2);
  });

  it('resolving stops every update reminder', async () => {
    await runVerb(s.env, s.admin.scope, (ctx) => changeStatus(ctx, incidentId, 'resolved'));
    const before = texts().length;
    // Past the next internal (30 min) and customer (1 h) deadlines the posted update had set.
    await s.clock.passMinutes(15);
    await settle();
    expect(texts().length).toBe(before);
    const live = await s.database.db
      .select()
      .from(notifyReminders)
      .where(eq(notifyReminders.state, 'scheduled'));
    // Only the post-mortem (P1: due 72 h after resolution) is still ahead.
    expect([...new Set(live.map((r) => r.clockKey))]).toEqual(['postmortem']);
  });
});

describe('reminders of an incident declared and changed in one transaction', () => {
  it('are planned once, from the facts at commit: none for the clocks resolving stopped', async () => {
    const id = await runVerb(s.env, s.admin.scope, async (ctx) => {
      const d = await declareIncident(ctx, { title: 'Declared and settled', type: 'outage', severity: 'P1' });
      await assignRole(ctx, d.id, 'comms', 'carol@acme.test');
      await changeStatus(ctx, d.id, 'resolved');
      return d.id;
    });
    const rows = await s.database.db.select().from(notifyReminders).where(eq(notifyReminders.incidentId, id));
    const scheduled = rows.filter((r) => r.state === 'scheduled');
    expect([...new Set(scheduled.map((r) => r.clockKey))]).toEqual(['postmortem']);
    // The declaration's reminders were written before the re-plan read them, so it cancelled them.
    expect(rows.filter((r) => r.clockKey === 'update:internal').map((r) => r.state)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    const keys = rows.map((r) => `${r.clockKey} ${r.stage} ${r.deadline.toISOString()}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
