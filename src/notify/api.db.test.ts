import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FIXTURE_PLAN } from '../../test/support/incidents.ts';
import { applyIn, settle, testSettings, until } from '../../test/support/notify.ts';
import { type HttpReceiver, httpReceiver } from '../../test/support/receivers.ts';
import { createScenario, type Scenario } from '../../test/support/scenario.ts';
import { issueToken } from '../access/verbs.ts';
import { buildHttp, type ZApp } from '../http/server.ts';
import { incidents } from '../incidents/tables.ts';
import { runVerb } from '../kernel/verb.ts';
import { notifyModule } from './module.ts';
import { notifyContacts, notifyLinks } from './tables.ts';

const PLAN = FIXTURE_PLAN.replace(
  '    - key: internal\n      label: Internal\n',
  '    - key: internal\n      label: Internal\n      channels: [incidents_slack]\n',
).replace(
  '  templates:\n',
  "  channels:\n    - key: incidents_slack\n      type: slack\n      target: '#incidents'\n      drill_target: '#drills'\n  templates:\n",
);

// Fake time fires every poll timer on the way, which takes real time on a shared machine.
vi.setConfig({ testTimeout: 120000, hookTimeout: 120000 });

let s: Scenario;
let app: ZApp;
let web: HttpReceiver;
let admin: string;
let dana: { id: string; token: string };

beforeAll(async () => {
  web = await httpReceiver();
  const mod = notifyModule({ settings: testSettings({ SIAGA_NOTIFY_LINK_TTL: '3m' }) });
  s = await createScenario({ modules: [mod] });
  await applyIn(s, PLAN);
  app = await buildHttp(s.env, { plugins: [(a, e) => mod.routes!(a, e)] });
  const tok = (scope: typeof s.admin.scope) =>
    runVerb(s.env, scope, (ctx) => issueToken(ctx, { userId: scope.actor.id!, name: 't' })).then(
      (t) => t.token,
    );
  admin = await tok(s.admin.scope);
  const d = await s.addMember({ email: 'dana@acme.test' });
  dana = { id: d.id, token: await tok(d.scope) };
});
afterAll(async () => {
  await app.close();
  await s.close();
  await web.close();
});

const call = (method: string, url: string, body?: object, token: string | null = admin, headers = {}) =>
  app.inject({
    method: method as 'GET',
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body ? { payload: body } : {}),
  });

describe('contact methods and rules over HTTP', () => {
  it('adds and lists one’s own contact methods, secrets never shown', async () => {
    const r = await call(
      'POST',
      '/api/v1/me/contacts',
      { kind: 'slack', address: `${web.url}/dana`, label: 'Slack DM' },
      dana.token,
    );
    expect(r.statusCode).toBe(201);
    const w = await call(
      'POST',
      '/api/v1/me/contacts',
      { kind: 'webhook', address: `${web.url}/dana-hook`, secret: 'whsec_0123456789abcdef' },
      dana.token,
    );
    expect(w.json()).toMatchObject({ kind: 'webhook', has_secret: true });
    expect(w.body).not.toContain('whsec_');
    const list = (await call('GET', '/api/v1/me/contacts', undefined, dana.token)).json();
    expect(list.contacts.map((c: { label: string }) => c.label)).toEqual(['Slack DM', 'webhook']);
  });

  it('refuses bad input with problem+json naming the field, and writes nothing', async () => {
    const before = (await s.database.db.select().from(notifyContacts)).length;
    const cases = [
      [{ kind: 'email', address: 'not-an-address' }, 'address'],
      [{ kind: 'telegram', address: 'https://t.me/x' }, 'address'],
      [{ kind: 'webhook', address: 'https://example.com/h' }, 'secret'],
      [{ kind: 'pager', address: 'x' }, 'kind'],
      [{ kind: 'email', address: 'a@b.test', colour: 'red' }, 'colour'],
    ] as const;
    for (const [body, field] of cases) {
      const r = await call('POST', '/api/v1/me/contacts', body, dana.token);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await s.database.db.select().from(notifyContacts)).length).toBe(before);
  });

  it('replaces rules in one go, refusing a contact that is not yours', async () => {
    const mine = (await call('GET', '/api/v1/me/contacts', undefined, dana.token)).json().contacts;
    const adminContact = await call('POST', '/api/v1/me/contacts', {
      kind: 'email',
      address: 'admin@acme.test',
    });
    const bad = await call(
      'PUT',
      '/api/v1/me/rules',
      { rules: [{ contact_id: mine[0].id }, { contact_id: adminContact.json().id, after: '2m' }] },
      dana.token,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      expect.objectContaining({
        field: 'rules[1].contact_id',
        message: 'not one of this user’s contact methods',
      }),
    ]);
    expect((await call('GET', '/api/v1/me/rules', undefined, dana.token)).json().rules).toEqual([]);
    const ok = await call(
      'PUT',
      '/api/v1/me/rules',
      { rules: [{ contact_id: mine[0].id }, { contact_id: mine[1].id, after: '2m' }] },
      dana.token,
    );
    expect(ok.json().rules.map((r: { after_seconds: number }) => r.after_seconds)).toEqual([0, 120]);
  });

  it('lets only admins manage someone else’s contacts', async () => {
    const asDana = await call('GET', `/api/v1/users/${s.admin.id}/contacts`, undefined, dana.token);
    expect(asDana.statusCode).toBe(403);
    const asAdmin = await call('GET', `/api/v1/users/${dana.id}/contacts`);
    expect(asAdmin.json().contacts).toHaveLength(2);
  });
});

describe('updates to the plan’s channels', () => {
  it('names an unknown channel and a kind that does not match the plan', async () => {
    const r = await call('PUT', '/api/v1/notify/channels/incident_slack', {
      kind: 'slack',
      address: `${web.url}/x`,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('key');
    expect(r.json().detail).toContain('did you mean "incidents_slack"');
    const k = await call('PUT', '/api/v1/notify/channels/incidents_slack', {
      kind: 'teams',
      address: `${web.url}/x`,
    });
    expect(k.json().errors[0].field).toBe('kind');
  });

  it('posts a real update to #incidents and a drill only to the drill target', async () => {
    const set = (drill: boolean, path: string) =>
      call('PUT', '/api/v1/notify/channels/incidents_slack', {
        kind: 'slack',
        address: `${web.url}${path}`,
        drill,
      });
    expect((await set(false, '/incidents')).statusCode).toBe(204);
    expect((await set(true, '/drills')).statusCode).toBe(204);
    for (const drill of [false, true]) {
      const inc = await call('POST', '/api/v1/incidents', {
        title: drill ? 'Drill' : 'Real',
        type: 'outage',
        severity: 'P1',
        drill,
      });
      const ref = inc.json().ref;
      const u = await call('POST', `/api/v1/incidents/${ref}/updates`, { audience: 'internal' });
      expect(u.statusCode, u.body).toBe(200);
    }
    await until(s, () => web.requests.filter((r) => ['/incidents', '/drills'].includes(r.path)).length === 2);
    await settle();
    const real = web.requests.filter((r) => r.path === '/incidents');
    const drills = web.requests.filter((r) => r.path === '/drills');
    expect(real).toHaveLength(1);
    expect(drills).toHaveLength(1);
    expect(JSON.parse(real[0]!.body).text).toContain('[P1][Outage] - Real');
    expect(JSON.parse(drills[0]!.body).blocks[0].text.text).toMatch(/^\[DRILL\] /);
  });
});

describe('the one-click acknowledge link', () => {
  let ackUrl: string;
  let incidentId: string;
  beforeAll(async () => {
    const inc = await call('POST', '/api/v1/incidents', { title: 'Paged', type: 'outage', severity: 'P1' });
    incidentId = inc.json().id;
    web.requests.length = 0;
    await runVerb(s.env, s.admin.scope, (ctx) =>
      s.env.notifier!.notify(ctx, {
        dedupKey: 'page:link',
        kind: 'page',
        to: [{ user: dana.id }],
        subject: 'Paged',
        text: 'Please look',
        incidentId,
      }),
    );
    await until(s, () => web.requests.some((r) => r.path === '/dana'));
    const p = JSON.parse(web.requests.find((r) => r.path === '/dana')!.body);
    ackUrl = p.blocks[2].elements[0].url;
  });
  const path = () => new URL(ackUrl).pathname;
  const acked = async () =>
    (await s.database.db.select().from(incidents).where(eq(incidents.id, incidentId)))[0]!.acknowledgedAt;

  it('shows a confirmation page on GET and changes nothing (link scanners fetch links)', async () => {
    const r = await call('GET', path(), undefined, null, { accept: 'text/html' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('<form method="post">');
    expect(await acked()).toBeNull();
  });

  it('refuses an altered signature', async () => {
    const bad = `${path().slice(0, -2)}xx`;
    expect((await call('POST', bad, undefined, null)).statusCode).toBe(403);
    expect((await call('GET', bad, undefined, null, { accept: 'text/html' })).statusCode).toBe(403);
    expect(await acked()).toBeNull();
  });

  it('acknowledges as the paged person on POST, audited, and refuses a replay', async () => {
    const r = await call('POST', path(), undefined, null, {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.body).toContain('Acknowledged');
    expect(await acked()).not.toBeNull();
    const [row] = await s.database.db.select().from(incidents).where(eq(incidents.id, incidentId));
    expect(row!.acknowledgedBy).toMatchObject({ type: 'user', id: dana.id });
    const audit = await s.database.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action IN ('notify.link_used', 'incident.acknowledged') ORDER BY seq",
    );
    expect(audit.map((a) => a.action)).toContain('notify.link_used');
    const again = await call('POST', path(), undefined, null);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    const used = await s.database.db.select().from(notifyLinks).where(eq(notifyLinks.action, 'acknowledge'));
    expect(used.filter((l) => l.usedAt)).toHaveLength(1);
  });

  it('refuses an expired link', async () => {
    const resolveUrl = JSON.parse(web.requests.find((r) => r.path === '/dana')!.body).blocks[2].elements[1]
      .url;
    await s.clock.passMinutes(4);
    const r = await call('POST', new URL(resolveUrl).pathname, undefined, null);
    expect(r.statusCode).toBe(410);
    expect(r.json().detail).toMatch(/expired/);
  });
});
