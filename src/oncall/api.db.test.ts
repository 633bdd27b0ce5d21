import { eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { type Api, apiFor } from '../../test/support/http.ts';
import { auditLog } from '../audit/tables.ts';
import { oncallRoutes } from './routes.ts';

let w: TestWorld;
let api: Api;

const FILE = `siaga_oncall: oncall/1
teams:
  - key: platform
    name: Platform
    members: [alice@acme.test, bob@acme.test]
    schedule: primary
schedules:
  - key: primary
    name: Primary
    time_zone: Asia/Jakarta
    layers:
      - participants: [alice@acme.test, bob@acme.test]
        shift: 1d
        handoff: "09:00"
        start: 2026-01-01
roles:
  on_call: { team: platform }
`;

beforeEach(async () => {
  w = await createWorld();
  await w.addMember({ email: 'alice@acme.test' });
  await w.addMember({ email: 'bob@acme.test' });
  w.clock.set(new Date('2026-01-05T03:00:00Z'));
  api = await apiFor(w, { plugins: [oncallRoutes] });
});
afterEach(() => w.close());

describe('on-call over HTTP', () => {
  it('applies the on-call file and answers who is on call for a schedule, a team and a role', async () => {
    const put = await api.call('PUT', '/api/v1/oncall/file', { source: FILE });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ schedules: ['primary'], teams: ['platform'], unchanged: false });
    // 2026-01-05 10:00 in Jakarta is the fifth daily shift since 1 January: alice (0, 2, 4).
    for (const path of ['schedules/primary', 'teams/platform', 'roles/on_call']) {
      const r = await api.call('GET', `/api/v1/oncall/${path}`);
      expect(r.json().on_call[0].people, path).toEqual(['alice@acme.test']);
    }
    const later = await api.call('GET', '/api/v1/oncall/schedules/primary?at=2026-01-06T02:00:00%2B00:00');
    expect(later.json().on_call[0].people).toEqual(['bob@acme.test']);
    const cover = await api.call('POST', '/api/v1/schedules/primary/overrides', {
      user: 'bob@acme.test',
      from: '2026-01-05T00:00:00Z',
      to: '2026-01-05T12:00:00Z',
    });
    expect(cover.statusCode).toBe(201);
    expect((await api.call('GET', '/api/v1/oncall')).json().on_call).toEqual([
      { kind: 'schedule', key: 'primary', people: ['bob@acme.test'] },
      { kind: 'team', key: 'platform', people: ['bob@acme.test'] },
      { kind: 'role', key: 'on_call', people: ['bob@acme.test'] },
    ]);
  });

  it('lists overrides and takes them back: one to come is removed, one in progress ends now, a file one is refused', async () => {
    const file = FILE.replace(
      '        start: 2026-01-01\n',
      '        start: 2026-01-01\n    overrides:\n      - { user: alice@acme.test, from: "2026-01-10T00:00:00Z", to: "2026-01-11T00:00:00Z" }\n',
    );
    expect((await api.call('PUT', '/api/v1/oncall/file', { source: file })).statusCode).toBe(200);
    const take = async (user: string, from: string, to: string) =>
      (await api.call('POST', '/api/v1/schedules/primary/overrides', { user, from, to })).json().id as string;
    const current = await take('bob@acme.test', '2026-01-05T00:00:00Z', '2026-01-05T12:00:00Z');
    const later = await take('alice@acme.test', '2026-01-07T00:00:00Z', '2026-01-07T06:00:00Z');
    const list = async () =>
      (await api.call('GET', '/api/v1/schedules/primary/overrides')).json().overrides as {
        id: string;
        user: string;
        from_file: boolean;
      }[];
    const all = await list();
    expect(all.map((o) => [o.user, o.from_file])).toEqual([
      ['bob@acme.test', false],
      ['alice@acme.test', false],
      ['alice@acme.test', true],
    ]);
    expect(all.slice(0, 2).map((o) => o.id)).toEqual([current, later]);

    const gone = await api.call('DELETE', `/api/v1/schedules/primary/overrides/${later}`);
    expect(gone.json()).toEqual({ outcome: 'removed', to: '2026-01-07T06:00:00.000Z' });
    expect((await api.call('GET', '/api/v1/oncall/schedules/primary')).json().on_call[0].people).toEqual([
      'bob@acme.test',
    ]);
    const ended = await api.call('DELETE', `/api/v1/schedules/primary/overrides/${current}`);
    expect(ended.json()).toEqual({ outcome: 'ended', to: '2026-01-05T03:00:00.000Z' });
    // The rotation has the schedule again (alice today), and the cover stays in the past as it was.
    expect((await api.call('GET', '/api/v1/oncall/schedules/primary')).json().on_call[0].people).toEqual([
      'alice@acme.test',
    ]);
    const earlier = await api.call('GET', '/api/v1/oncall/schedules/primary?at=2026-01-05T01:00:00%2B00:00');
    expect(earlier.json().on_call[0].people).toEqual(['bob@acme.test']);
    expect((await list()).map((o) => o.from_file)).toEqual([true]);

    const again = await api.call('DELETE', `/api/v1/schedules/primary/overrides/${current}`);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('already ended');
    const fromFile = (await list())[0]!.id;
    const refused = await api.call('DELETE', `/api/v1/schedules/primary/overrides/${fromFile}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('on-call file');
    expect((await list()).map((o) => o.id)).toEqual([fromFile]);
    const unknown = await api.call(
      'DELETE',
      '/api/v1/schedules/primary/overrides/00000000-0000-4000-8000-000000000000',
    );
    expect(unknown.statusCode).toBe(404);
    const notId = await api.call('DELETE', '/api/v1/schedules/primary/overrides/yesterday');
    expect(notId.statusCode).toBe(400);

    const audit = await w.env.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'oncall.override_cancelled'));
    expect(audit.map((r) => (r.data as { outcome: string }).outcome).sort()).toEqual(['ended', 'removed']);
  });

  it('rejects a bad on-call file with every problem at its line and column, writing nothing', async () => {
    const bad = FILE.replace('shift: 1d', 'shift: 1 day')
      .replace('bob@acme.test, bob', 'bob@acme.test, bob')
      .replace('members: [alice@acme.test, bob@acme.test]', 'members: [alice@acme.test, carol@acme.test]');
    const r = await api.call('PUT', '/api/v1/oncall/file', { source: bad });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().errors).toEqual([
      expect.objectContaining({
        field: 'schedules[0].layers[0].shift',
        message: expect.stringMatching(/^line 13, column 16: expected a shift length/),
      }),
    ]);
    const unknown = await api.call('PUT', '/api/v1/oncall/file', {
      source: FILE.replace(
        'members: [alice@acme.test, bob@acme.test]',
        'members: [alice@acme.test, carol@acme.test]',
      ),
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([
      expect.objectContaining({
        field: 'teams[0].members[1]',
        message: 'line 5, column 32: carol@acme.test is not a member of this workspace',
      }),
    ]);
    expect((await api.call('GET', '/api/v1/schedules')).json().schedules).toEqual([]);
    expect((await api.call('GET', '/api/v1/teams')).json().teams).toEqual([]);
  });

  it('edits a schedule by API; bad input names the field and changes nothing', async () => {
    const body = {
      name: 'Secondary',
      time_zone: 'America/New_York',
      layers: [
        {
          participants: ['alice@acme.test', 'bob@acme.test'],
          shift: '12h',
          handoff: '08:00',
          start: '2026-01-01',
        },
      ],
    };
    expect((await api.call('PUT', '/api/v1/schedules/secondary', body)).statusCode).toBe(200);
    const badZone = await api.call('PUT', '/api/v1/schedules/secondary', {
      ...body,
      time_zone: 'Mars/Olympus',
    });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().errors[0].field).toBe('time_zone');
    const stranger = await api.call('PUT', '/api/v1/schedules/secondary', {
      ...body,
      name: 'Changed',
      layers: [{ ...body.layers[0], participants: ['alice@acme.test', 'mallory@acme.test'] }],
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().errors[0].field).toBe('layers[0].participants[1]');
    const now = (await api.call('GET', '/api/v1/schedules/secondary')).json();
    expect(now.name).toBe('Secondary');
    const badOverride = await api.call('POST', '/api/v1/schedules/secondary/overrides', {
      user: 'bob@acme.test',
      from: '2026-01-05T12:00:00Z',
      to: '2026-01-05T00:00:00Z',
    });
    expect(badOverride.statusCode).toBe(400);
    expect(badOverride.json().errors[0].field).toBe('to');
  });

  it('serves the schedule and a personal feed at secret URLs that ical.js reads back to the same shifts', async () => {
    await api.call('PUT', '/api/v1/oncall/file', { source: FILE });
    const sched = (await api.call('GET', '/api/v1/schedules/primary')).json();
    const feedPath = new URL(sched.feed_url).pathname;
    const feed = await api.call('GET', feedPath, undefined, { token: null });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    const events = new ICAL.Component(ICAL.parse(feed.body))
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v));
    const shifts = (
      await api.call(
        'GET',
        `/api/v1/schedules/primary/shifts?from=${encodeURIComponent('2025-12-29T03:00:00Z')}&to=${encodeURIComponent('2026-04-05T03:00:00Z')}`,
      )
    ).json().shifts;
    expect(events.map((e) => e.startDate.toJSDate().toISOString())).toEqual(
      shifts.map((s: { start: string }) => new Date(s.start).toISOString()),
    );
    expect(events.map((e) => e.endDate.toJSDate().toISOString())).toEqual(
      shifts.map((s: { end: string }) => new Date(s.end).toISOString()),
    );
    const mine = (await api.call('GET', '/api/v1/oncall/me/feed')).json().feed_url;
    // The admin is on no schedule: an empty but valid calendar.
    const own = await api.call('GET', new URL(mine).pathname, undefined, { token: null });
    expect(new ICAL.Component(ICAL.parse(own.body)).getAllSubcomponents('vevent')).toEqual([]);
    expect(
      (await api.call('GET', '/api/v1/feeds/oncall/sgcal_nope.ics', undefined, { token: null })).statusCode,
    ).toBe(404);
  });
});
