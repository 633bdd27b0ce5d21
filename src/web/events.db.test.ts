import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttp, type ZApp } from '../../src/http/server.ts';
import { createWorld, type TestWorld, worldIn } from '../../test/support/env.ts';
import { apiFor } from '../../test/support/http.ts';
import { withPlan } from '../../test/support/incidents.ts';
import { openStream, type SseFrame } from '../../test/support/sse.ts';
import { webModule } from './module.ts';

const live = (f: SseFrame) => f.event === 'live';

describe('GET /api/v1/events', () => {
  let w: TestWorld;
  let other: TestWorld;
  let app: ZApp;
  let base: string;
  let token: string;
  let otherToken: string;
  const web = webModule({ dir: '/nonexistent', heartbeatMs: 100 });

  beforeAll(async () => {
    w = await createWorld();
    other = await worldIn(w.env, 'other');
    await withPlan(w);
    await withPlan(other);
    await web.start!(w.env);
    app = await buildHttp(w.env, { plugins: [(a) => web.routes!(a, w.env)] });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    token = (await apiFor(w)).token;
    otherToken = (await apiFor(other)).token;
  });
  afterAll(async () => {
    await app?.close();
    await web.stop!();
    await w?.close();
  });

  const declare = (t: string, title: string) =>
    fetch(`${base}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, type: 'outage' }),
    }).then(async (r) => {
      expect(r.status).toBe(201);
      return (await r.json()) as { id: string };
    });

  it('refuses an anonymous caller with problem+json', async () => {
    const r = await fetch(`${base}/api/v1/events`);
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });

  it("streams the workspace's live events, never another workspace's, with heartbeats", async () => {
    const s = await openStream(`${base}/api/v1/events`, { authorization: `Bearer ${token}` });
    expect(s.status).toBe(200);
    expect(s.contentType).toContain('text/event-stream');
    const ready = await s.next((f) => f.event === 'ready');
    expect(ready.id).toMatch(/^[0-9a-z]+\.\d+$/);
    await declare(otherToken, 'elsewhere');
    const mine = await declare(token, 'here');
    const f = await s.next(live);
    expect(JSON.parse(f.data)).toMatchObject({ type: 'incident.changed', incidentId: mine.id });
    await s.next((x) => x.comment === 'heartbeat');
    s.close();
  });

  it('catches up after a reconnect with Last-Event-ID, in order and without loss', async () => {
    const s = await openStream(`${base}/api/v1/events`, { authorization: `Bearer ${token}` });
    const ready = await s.next((f) => f.event === 'ready');
    s.close();
    const missed = [await declare(token, 'one'), await declare(token, 'two'), await declare(token, 'three')];
    const again = await openStream(`${base}/api/v1/events`, {
      authorization: `Bearer ${token}`,
      'last-event-id': ready.id!,
    });
    const got: string[] = [];
    while (got.length < missed.length) got.push(JSON.parse((await again.next(live)).data).incidentId);
    expect(got).toEqual(missed.map((m) => m.id));
    again.close();
  });

  it('tells a client whose id it cannot line up with to resync, rather than dropping events silently', async () => {
    const s = await openStream(`${base}/api/v1/events?last_event_id=someoneelse.7`, {
      authorization: `Bearer ${token}`,
    });
    // The first frame only sets the reconnect delay; the first event must be the resync.
    const f = await s.next((x) => x.event !== 'message');
    expect(f.event).toBe('resync');
    expect(f.id?.startsWith(`${web.hub.epoch}.`)).toBe(true);
    s.close();
  });

  it('names the offending query field', async () => {
    const r = await fetch(`${base}/api/v1/events?since=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(400);
    const p = (await r.json()) as { errors: { field: string }[] };
    expect(p.errors.map((e) => e.field)).toContain('since');
  });
});
