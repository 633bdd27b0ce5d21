import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld, worldIn } from '../../test/support/env.ts';
import { type Api, apiFor } from '../../test/support/http.ts';
import { FIXTURE_PLAN, withPlan } from '../../test/support/incidents.ts';

let w: TestWorld;
let api: Api;

beforeEach(async () => {
  w = await createWorld();
  await withPlan(w);
  api = await apiFor(w);
});
afterEach(async () => {
  await api.app.close();
  await w.close();
});

const declare = (body: Record<string, unknown> = { title: 'API down', type: 'outage' }, token?: string) =>
  api.call('POST', '/api/v1/incidents', body, { token });

async function counts() {
  const [row] = await w.database.query<{ incidents: number; events: number; audit: number }>(
    `SELECT (SELECT count(*)::int FROM incidents) AS incidents, (SELECT count(*)::int FROM incident_events) AS events,
            (SELECT count(*)::int FROM audit_log) AS audit`,
  );
  return row!;
}

describe('HTTP API', () => {
  it('declares and reads an incident with its clocks, tasks and allowed next statuses', async () => {
    const res = await declare({
      title: 'API down',
      type: 'outage',
      services: ['api'],
      correlation_ids: ['req-1'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/api/v1/incidents/INC-1');
    const body = res.json();
    expect(body).toMatchObject({
      ref: 'INC-1',
      severity: 'P2',
      status: 'investigating',
      correlation_ids: ['req-1'],
    });
    expect(body.clocks.map((c: { key: string }) => c.key)).toContain('response');
    expect(body.tasks).toHaveLength(3);
    expect(body.allowed_statuses).toEqual(['identified', 'monitoring', 'resolved']);
    const got = await api.call('GET', '/api/v1/incidents/inc-1');
    expect(got.json().id).toBe(body.id);
    const list = await api.call('GET', '/api/v1/incidents?status=open');
    expect(list.json().incidents.map((i: { ref: string }) => i.ref)).toEqual(['INC-1']);
  });

  it('runs the lifecycle over HTTP: acknowledge, assign, tick, update, resolve', async () => {
    const inc = (await declare()).json();
    expect(
      (await api.call('POST', '/api/v1/incidents/INC-1/acknowledge', {})).json().acknowledged_at,
    ).not.toBeNull();
    const assigned = await api.call('PUT', '/api/v1/incidents/INC-1/roles/ic', { user: w.admin.email });
    expect(assigned.json().roles).toMatchObject([{ role: 'ic', email: w.admin.email }]);
    const ticked = await api.call('PATCH', `/api/v1/incidents/INC-1/tasks/${inc.tasks[0].id}`, {
      done: true,
    });
    expect(ticked.json().tasks[0].done_at).not.toBeNull();
    const updated = await api.call('POST', '/api/v1/incidents/INC-1/updates', { audience: 'internal' });
    expect(updated.json().updates[0].body).toContain('[P2][Outage] - API down');
    const resolved = await api.call('POST', '/api/v1/incidents/INC-1/status', {
      status: 'resolved',
      reason: 'failed over',
    });
    expect(resolved.json().status).toBe('resolved');
    const tl = (await api.call('GET', '/api/v1/incidents/INC-1/timeline')).json().entries;
    expect(tl.map((e: { kind: string }) => e.kind)).toEqual([
      'declared',
      'acknowledged',
      'role_assigned',
      'task_done',
      'update_posted',
      'status_changed',
    ]);
    const after = (await api.call('GET', `/api/v1/incidents/INC-1/timeline?after=${tl[3].id}`)).json()
      .entries;
    expect(after.map((e: { kind: string }) => e.kind)).toEqual(['update_posted', 'status_changed']);
  });

  describe('bad input gets problem+json naming the field, and writes nothing', () => {
    const cases: [string, string, string, unknown, number, string | null][] = [
      ['malformed JSON', 'POST', '/api/v1/incidents', '{"title": "x",', 400, null],
      [
        'unknown field',
        'POST',
        '/api/v1/incidents',
        { title: 'x', type: 'outage', sevrity: 'P1' },
        400,
        'sevrity',
      ],
      ['wrong enum value', 'POST', '/api/v1/incidents/INC-1/status', { status: 'fixed' }, 400, 'status'],
      [
        'over-long string',
        'POST',
        '/api/v1/incidents',
        { title: 'x'.repeat(201), type: 'outage' },
        400,
        'title',
      ],
      ['wrong type', 'POST', '/api/v1/incidents', { title: 'x', type: 'outage', drill: 'yes' }, 400, 'drill'],
      ['missing field', 'POST', '/api/v1/incidents', { type: 'outage' }, 400, 'title'],
      ['unknown plan key', 'POST', '/api/v1/incidents', { title: 'x', type: 'outrage' }, 400, 'type'],
      [
        'transition not allowed',
        'POST',
        '/api/v1/incidents/INC-1/status',
        { status: 'closed' },
        422,
        'status',
      ],
      [
        'bad time',
        'POST',
        '/api/v1/incidents',
        { title: 'x', type: 'outage', detected_at: 'yesterday' },
        400,
        'detected_at',
      ],
      ['unknown incident', 'GET', '/api/v1/incidents/INC-99', undefined, 404, null],
      ['not a reference', 'GET', '/api/v1/incidents/banana', undefined, 400, 'incident'],
    ];
    it.each(cases)('%s', async (_name, method, url, body, status, field) => {
      await declare();
      const before = await counts();
      const res = await api.call(
        method,
        url,
        body,
        typeof body === 'string' ? { headers: { 'content-type': 'application/json' } } : {},
      );
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const p = res.json();
      expect(p).toMatchObject({
        status,
        type: expect.stringContaining('https://siaga.dev/problems/'),
        title: expect.any(String),
      });
      expect(p.detail.length).toBeGreaterThan(5);
      expect(p.request_id).toBe(res.headers['x-request-id']);
      if (field) expect(p.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await counts()).toEqual(before);
    });
  });

  it('refuses a plan that does not validate, listing every problem with its line', async () => {
    const before = await counts();
    const bad = FIXTURE_PLAN.replace('response_target: 15m', 'response_target: soon').replace(
      'default_severity: P1',
      'default_severity: P7',
    );
    const res = await api.call('POST', '/api/v1/plan/versions', { source: bad });
    expect(res.statusCode).toBe(400);
    const fields = res
      .json()
      .errors.map((e: { field: string; message: string }) => `${e.field} ${e.message}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^severities\[0\]\.response_target line \d+, column \d+: expected a duration/),
        expect.stringMatching(/^incident_types\[1\]\.default_severity line \d+/),
      ]),
    );
    expect(await counts()).toEqual(before);
  });

  it('requires authentication on every /api route, and roles for admin ones', async () => {
    const spec = (await api.call('GET', '/api/openapi.json', undefined, { token: null })).json();
    expect(spec.openapi).toBe('3.1.0');
    const routes = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) =>
        Object.keys(ops).map((m) => [m.toUpperCase(), path.replace(/\{[^}]+\}/g, 'x')] as const),
    );
    expect(routes.length).toBeGreaterThan(20);
    for (const [method, path] of routes) {
      if (path === '/api/v1/auth/login') continue;
      const res = await api.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {}, {
        token: null,
      });
      expect(res.statusCode, `${method} ${path}`).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(
      (await api.call('GET', '/api/v1/incidents', undefined, { token: 'sgt_not-a-real-token-at-all' }))
        .statusCode,
    ).toBe(401);
    const viewer = await w.addMember({ email: 'viewer@acme.test', role: 'viewer' });
    const vt = await api.tokenFor(viewer.scope);
    expect((await api.call('GET', '/api/v1/incidents', undefined, { token: vt })).statusCode).toBe(200);
    expect((await declare(undefined, vt)).statusCode).toBe(403);
    expect((await api.call('GET', '/api/v1/audit/verify', undefined, { token: vt })).statusCode).toBe(403);
  });

  it('isolates workspaces: a token of one can neither read nor change another’s incidents, by id or by list', async () => {
    const mine = (await declare()).json();
    const other = await worldIn(w.env, 'globex');
    await withPlan(other);
    const theirToken = await api.tokenFor(other.admin.scope);
    const theirs = (await declare({ title: 'Their outage', type: 'outage' }, theirToken)).json();
    expect(theirs.ref).toBe('INC-1');
    for (const ref of [mine.id, 'INC-1']) {
      const res = await api.call('GET', `/api/v1/incidents/${ref}`, undefined, { token: theirToken });
      if (ref === 'INC-1') expect(res.json().id).toBe(theirs.id);
      else expect(res.statusCode).toBe(404);
    }
    const listed = (
      await api.call('GET', '/api/v1/incidents?status=all', undefined, { token: theirToken })
    ).json();
    expect(listed.incidents.map((i: { id: string }) => i.id)).toEqual([theirs.id]);
    for (const [method, url, body] of [
      ['POST', `/api/v1/incidents/${mine.id}/status`, { status: 'resolved' }],
      ['POST', `/api/v1/incidents/${mine.id}/notes`, { text: 'pwned' }],
      ['PATCH', `/api/v1/incidents/${mine.id}`, { title: 'pwned' }],
      ['PATCH', `/api/v1/incidents/${mine.id}/tasks/${mine.tasks[0].id}`, { done: true }],
    ] as const) {
      expect((await api.call(method, url, body, { token: theirToken })).statusCode).toBe(404);
    }
    const still = (await api.call('GET', `/api/v1/incidents/${mine.id}`)).json();
    expect(still).toMatchObject({ title: 'API down', status: 'investigating' });
    expect(still.tasks[0].done_at).toBeNull();
  });

  it('logs in with a password, uses the session cookie, and requires the CSRF header for changes', async () => {
    const bad = await api.call(
      'POST',
      '/api/v1/auth/login',
      { email: w.admin.email, password: 'wrong password' },
      { token: null },
    );
    expect(bad.statusCode).toBe(401);
    const res = await api.call(
      'POST',
      '/api/v1/auth/login',
      { email: w.admin.email, password: 'correct horse battery' },
      { token: null },
    );
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'siaga_session')!;
    expect(cookie.httpOnly).toBe(true);
    const headers = { cookie: `siaga_session=${cookie.value}` };
    expect((await api.call('GET', '/api/v1/me', undefined, { token: null, headers })).json().email).toBe(
      w.admin.email,
    );
    expect(
      (await api.call('POST', '/api/v1/incidents', { title: 'x', type: 'outage' }, { token: null, headers }))
        .statusCode,
    ).toBe(403);
    const ok = await api.call(
      'POST',
      '/api/v1/incidents',
      { title: 'x', type: 'outage' },
      { token: null, headers: { ...headers, 'x-siaga-csrf': '1' } },
    );
    expect(ok.statusCode).toBe(201);
  });

  it('changes a password: the current one is checked, other sessions end, this one stays', async () => {
    const login = async (password: string) =>
      api.call('POST', '/api/v1/auth/login', { email: w.admin.email, password }, { token: null });
    const cookieOf = (res: Awaited<ReturnType<typeof login>>) =>
      `siaga_session=${res.cookies.find((c) => c.name === 'siaga_session')!.value}`;
    const here = cookieOf(await login('correct horse battery'));
    const elsewhere = cookieOf(await login('correct horse battery'));
    const headers = { cookie: here, 'x-siaga-csrf': '1' };
    const wrong = await api.call(
      'PUT',
      '/api/v1/me/password',
      { current: 'nope nope nope', new: 'a new long passphrase' },
      { token: null, headers },
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('current');
    const short = await api.call(
      'PUT',
      '/api/v1/me/password',
      { current: 'correct horse battery', new: 'short' },
      { token: null, headers },
    );
    expect(short.json().errors[0].field).toBe('new');
    const ok = await api.call(
      'PUT',
      '/api/v1/me/password',
      { current: 'correct horse battery', new: 'a new long passphrase' },
      { token: null, headers },
    );
    expect(ok.statusCode).toBe(204);
    expect((await login('correct horse battery')).statusCode).toBe(401);
    expect((await login('a new long passphrase')).statusCode).toBe(200);
    expect(
      (await api.call('GET', '/api/v1/me', undefined, { token: null, headers: { cookie: here } })).statusCode,
    ).toBe(200);
    expect(
      (await api.call('GET', '/api/v1/me', undefined, { token: null, headers: { cookie: elsewhere } }))
        .statusCode,
    ).toBe(401);
  });

  it('serves health, readiness, Prometheus metrics and the plan document', async () => {
    expect((await api.call('GET', '/healthz', undefined, { token: null })).json()).toEqual({ status: 'ok' });
    expect((await api.call('GET', '/readyz', undefined, { token: null })).json().status).toBe('ready');
    await declare();
    const metrics = await api.call('GET', '/metrics', undefined, { token: null });
    expect(metrics.body).toMatch(/siaga_incidents_open 1/);
    expect(metrics.body).toMatch(
      /siaga_http_requests_total\{method="POST",route="\/api\/v1\/incidents",status="201"\} 1/,
    );
    const doc = await api.call('GET', '/api/v1/plan/versions/active/document');
    expect(doc.headers['content-type']).toContain('text/markdown');
    expect(doc.body).toContain('Fixture plan');
  });
});
