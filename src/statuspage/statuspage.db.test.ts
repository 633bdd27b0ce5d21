import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type StatusWorld, statusWorld } from '../../test/support/statuspage.ts';

let w: StatusWorld;
beforeEach(async () => {
  w = await statusWorld();
});
afterEach(() => w.close());

const json = <T = Record<string, unknown>>(r: { body: string }) => JSON.parse(r.body) as T;
type Summary = {
  page: { id: string; name: string; url: string; time_zone: string; updated_at: string };
  status: { indicator: string; description: string };
  components: { id: string; name: string; status: string; group: boolean; group_id: string | null }[];
  incidents: {
    id: string;
    name: string;
    status: string;
    impact: string;
    incident_updates: { status: string; body: string; affected_components: unknown }[];
  }[];
  scheduled_maintenances: { id: string; status: string }[];
};

async function page(slug = 'acme') {
  const r = await w.api.call('POST', '/api/v1/statuspage/pages', { slug, name: 'Acme Status' });
  expect(r.statusCode).toBe(201);
  const checkout = json<{ id: string }>(
    await w.api.call('POST', `/api/v1/statuspage/pages/${slug}/components`, {
      name: 'Checkout',
      service: 'checkout',
    }),
  );
  const group = json<{ id: string }>(
    await w.api.call('POST', `/api/v1/statuspage/pages/${slug}/components`, {
      name: 'Platform',
      group: true,
    }),
  );
  const api = json<{ id: string }>(
    await w.api.call('POST', `/api/v1/statuspage/pages/${slug}/components`, {
      name: 'API',
      group_id: group.id,
    }),
  );
  await w.mod.cache().settled();
  return { checkout, group, api };
}

async function declareAndPost(opts: { drill?: boolean; severity?: string } = {}) {
  const inc = json<{ ref: string }>(
    await w.api.call('POST', '/api/v1/incidents', {
      title: 'Checkout failing',
      type: 'outage',
      severity: opts.severity ?? 'P1',
      services: ['checkout'],
      drill: opts.drill,
    }),
  );
  const r = await w.api.call('POST', `/api/v1/incidents/${inc.ref}/updates`, {
    audience: 'customers',
    fields: { summary: 'failed payments at checkout', customer_action: 'Please retry later.' },
  });
  expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
  await w.mod.cache().settled();
  return inc.ref;
}

// The documented Statuspage API v2 shapes (developer.statuspage.io), strict: no field more, none missing.
const iso = z.iso.datetime({ offset: true });
const PageShape = z.strictObject({
  id: z.string(),
  name: z.string(),
  url: z.url(),
  time_zone: z.string(),
  updated_at: iso,
});
const ComponentShape = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: z.enum([
    'operational',
    'degraded_performance',
    'partial_outage',
    'major_outage',
    'under_maintenance',
  ]),
  created_at: iso,
  updated_at: iso,
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z.iso.date().nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
  components: z.array(z.string()).optional(),
});
const UpdateShape = z.strictObject({
  id: z.string(),
  status: z.string(),
  body: z.string(),
  incident_id: z.string(),
  created_at: iso,
  updated_at: iso,
  display_at: iso,
  affected_components: z
    .array(
      z.strictObject({ code: z.string(), name: z.string(), old_status: z.string(), new_status: z.string() }),
    )
    .nullable(),
  deliver_notifications: z.boolean(),
  custom_tweet: z.string().nullable(),
  tweet_id: z.string().nullable(),
});
const IncidentShape = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: z.enum([
    'investigating',
    'identified',
    'monitoring',
    'resolved',
    'postmortem',
    'scheduled',
    'in_progress',
    'verifying',
    'completed',
  ]),
  created_at: iso,
  updated_at: iso.nullable(),
  monitoring_at: iso.nullable(),
  resolved_at: iso.nullable(),
  impact: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  shortlink: z.url(),
  started_at: iso,
  page_id: z.string(),
  incident_updates: z.array(UpdateShape),
  components: z.array(ComponentShape),
  scheduled_for: iso.nullable().optional(),
  scheduled_until: iso.nullable().optional(),
});
const StatusShape = z.strictObject({
  indicator: z.enum(['none', 'minor', 'major', 'critical']),
  description: z.string(),
});
const SHAPES: Record<string, z.ZodType> = {
  'summary.json': z.strictObject({
    page: PageShape,
    components: z.array(ComponentShape),
    incidents: z.array(IncidentShape),
    scheduled_maintenances: z.array(IncidentShape),
    status: StatusShape,
  }),
  'status.json': z.strictObject({ page: PageShape, status: StatusShape }),
  'components.json': z.strictObject({ page: PageShape, components: z.array(ComponentShape) }),
  'incidents.json': z.strictObject({ page: PageShape, incidents: z.array(IncidentShape) }),
  'incidents/unresolved.json': z.strictObject({ page: PageShape, incidents: z.array(IncidentShape) }),
  'scheduled-maintenances.json': z.strictObject({
    page: PageShape,
    scheduled_maintenances: z.array(IncidentShape),
  }),
  'scheduled-maintenances/upcoming.json': z.strictObject({
    page: PageShape,
    scheduled_maintenances: z.array(IncidentShape),
  }),
  'scheduled-maintenances/active.json': z.strictObject({
    page: PageShape,
    scheduled_maintenances: z.array(IncidentShape),
  }),
};

describe('status page', () => {
  it('serves every Statuspage v2 document in its documented shape', async () => {
    const { checkout } = await page();
    await declareAndPost();
    const now = w.clock.now().getTime();
    await w.api.call('POST', '/api/v1/statuspage/pages/acme/maintenances', {
      name: 'Upgrade',
      body: 'Read-only.',
      scheduled_for: new Date(now + 3600_000).toISOString(),
      scheduled_until: new Date(now + 7200_000).toISOString(),
      components: [checkout.id],
    });
    await w.mod.cache().settled();
    for (const [name, shape] of Object.entries(SHAPES)) {
      const r = await w.api.call('GET', `/status/acme/api/v2/${name}`, undefined, { token: null });
      expect(r.headers['content-type'], name).toContain('application/json');
      const parsed = shape.safeParse(JSON.parse(r.body));
      expect(parsed.success ? null : parsed.error.issues, name).toBeNull();
    }
  });

  it('is created through the API; bad input names the field and writes nothing', async () => {
    const bad = await w.api.call('POST', '/api/v1/statuspage/pages', {
      slug: 'Not A Slug',
      name: 'x',
      time_zone: 'Mars/Base',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(
      json<{ errors: { field: string }[] }>(bad)
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(['slug', 'time_zone']);
    await page();
    const dup = await w.api.call('POST', '/api/v1/statuspage/pages', { slug: 'acme', name: 'Again' });
    expect(dup.statusCode).toBe(409);
    const badComp = await w.api.call('POST', '/api/v1/statuspage/pages/acme/components', {
      name: 'X',
      service: 'nope',
    });
    expect(badComp.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(badComp).errors[0]!.field).toBe('service');
    const list = json<{ pages: { slug: string }[] }>(await w.api.call('GET', '/api/v1/statuspage/pages'));
    expect(list.pages.map((p) => p.slug)).toEqual(['acme']);
    const detail = json<{ components: { name: string }[] }>(
      await w.api.call('GET', '/api/v1/statuspage/pages/acme'),
    );
    expect(detail.components.map((c) => c.name)).toEqual(['Checkout', 'Platform', 'API']);
  });

  it('publishes an external update of an incident with its components, and the indicator follows', async () => {
    const { checkout } = await page();
    let s = json<Summary>(
      await w.api.call('GET', '/status/acme/api/v2/summary.json', undefined, { token: null }),
    );
    expect(s.status).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    await declareAndPost();
    s = json<Summary>(
      await w.api.call('GET', '/status/acme/api/v2/summary.json', undefined, { token: null }),
    );
    expect(s.status).toEqual({ indicator: 'critical', description: 'Major System Outage' });
    expect(s.components.find((c) => c.id === checkout.id)!.status).toBe('major_outage');
    expect(s.incidents).toHaveLength(1);
    const inc = s.incidents[0]!;
    expect(inc).toMatchObject({ name: 'Checkout failing', status: 'investigating', impact: 'critical' });
    expect(inc.incident_updates[0]!.body).toContain('failed payments at checkout');
    expect(inc.incident_updates[0]!.affected_components).toEqual([
      { code: checkout.id, name: 'Checkout', old_status: 'operational', new_status: 'major_outage' },
    ]);
    const html = await w.api.call('GET', '/status/acme/', undefined, { token: null });
    expect(html.body).toContain('failed payments at checkout');
    expect(html.body).toContain('Major System Outage');
  });

  it('never shows a drill or an internal update', async () => {
    await page();
    const ref = await declareAndPost({ drill: true });
    await w.api.call('POST', `/api/v1/incidents/${ref}/updates`, { audience: 'internal' });
    const inc = json<{ ref: string }>(
      await w.api.call('POST', '/api/v1/incidents', {
        title: 'Internal only',
        type: 'outage',
        services: ['checkout'],
      }),
    );
    await w.api.call('POST', `/api/v1/incidents/${inc.ref}/updates`, { audience: 'internal' });
    await w.mod.cache().settled();
    const s = json<Summary>(
      await w.api.call('GET', '/status/acme/api/v2/incidents.json', undefined, { token: null }),
    );
    expect(s.incidents).toEqual([]);
  });

  it('resolving publishes "resolved" and puts the components back', async () => {
    await page();
    const ref = await declareAndPost({ severity: 'P2' });
    let s = json<Summary>(
      await w.api.call('GET', '/status/acme/api/v2/summary.json', undefined, { token: null }),
    );
    expect(s.status.indicator).toBe('major');
    await w.api.call('POST', `/api/v1/incidents/${ref}/status`, { status: 'resolved' });
    const r = await w.api.call('POST', `/api/v1/incidents/${ref}/updates`, {
      audience: 'customers',
      body: 'Payments work again.',
    });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    await w.mod.cache().settled();
    s = json<Summary>(
      await w.api.call('GET', '/status/acme/api/v2/summary.json', undefined, { token: null }),
    );
    expect(s.incidents).toEqual([]);
    expect(s.status.indicator).toBe('none');
    const all = json<Summary>(
      await w.api.call('GET', '/status/acme/api/v2/incidents.json', undefined, { token: null }),
    );
    expect(all.incidents[0]!.status).toBe('resolved');
    expect(all.incidents[0]!.incident_updates.map((u) => u.status)).toEqual(['resolved', 'investigating']);
  });

  it('serves brotli and gzip bytes of the same page, each with its own ETag', async () => {
    await page();
    await declareAndPost();
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
    const get = (headers: Record<string, string>) =>
      w.api.call('GET', '/status/acme/?utm=x', undefined, { token: null, headers });
    const plain = await get({});
    const br = await get({ 'accept-encoding': 'gzip, deflate, br' });
    const gz = await get({ 'accept-encoding': 'gzip, br;q=0' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(String(br.headers.vary)).toContain('Accept-Encoding');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
    const notModified = await get({
      'accept-encoding': 'br',
      'if-none-match': `"other", ${String(br.headers.etag)}`,
    });
    expect(notModified.statusCode).toBe(304);
    expect((await get({ 'if-none-match': String(br.headers.etag) })).statusCode).toBe(200);
  });

  it('answers from the cache with ETags, a fixed set of keys and a cached 404, even with the database gone', async () => {
    await page();
    await declareAndPost();
    const first = await w.api.call('GET', '/status/acme/', undefined, { token: null });
    expect(first.headers.etag).toBeTruthy();
    expect(first.headers['cache-control']).toContain('public');
    const again = await w.api.call('GET', '/status/acme/', undefined, {
      token: null,
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    // Take the database away: every visitor request must still be answered from memory.
    const real = w.env.database;
    let touched = 0;
    w.env.database = new Proxy(real, {
      get() {
        touched++;
        throw new Error('database is down');
      },
    });
    try {
      const variants = [
        '/status/acme/?utm=1&x=2',
        '/status/acme/?lang=id',
        '/status/acme/?lang=zz&cachebust=123',
        '/status/acme/api/v2/summary.json?_=99',
        '/status/acme/api/v2/nope.json',
        '/status/acme/wp-admin/../../etc/passwd',
        '/status/nosuchpage/',
        '/status/acme/history.rss?x',
        '/status/acme/badge.svg?y',
      ];
      const codes = [];
      for (const url of variants) {
        const r = await w.api.call('GET', url, undefined, {
          token: null,
          headers: { 'accept-language': 'fr-CH, fr;q=0.9' },
        });
        codes.push(r.statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 200, 404, 404, 404, 200, 200]);
      const id = await w.api.call('GET', '/status/acme/', undefined, {
        token: null,
        headers: { 'accept-language': 'id-ID,id;q=0.9' },
      });
      expect(id.body).toContain('lang="id"');
      expect(touched).toBe(0);
      // A rebuild now fails: the last page is still served, marked with its age.
      await w.mod.cache().settled();
      const stale = await w.api.call('GET', '/status/acme/', undefined, { token: null });
      expect(stale.statusCode).toBe(200);
      expect(stale.headers['x-siaga-stale']).toBeTruthy();
      expect(stale.body).toContain('Live updates are delayed');
      expect(stale.body).toContain('failed payments at checkout');
    } finally {
      w.env.database = real;
    }
    await w.mod.cache().settled();
    const fresh = await w.api.call('GET', '/status/acme/', undefined, { token: null });
    expect(fresh.headers['x-siaga-stale']).toBeUndefined();
  });

  it('serves a private page only with its shared secret', async () => {
    await w.api.call('POST', '/api/v1/statuspage/pages', {
      slug: 'inside',
      name: 'Internal',
      secret: 'correct-horse-battery',
    });
    await w.mod.cache().settled();
    const anon = await w.api.call('GET', '/status/inside/api/v2/summary.json', undefined, { token: null });
    expect(anon.statusCode).toBe(401);
    expect(anon.body).not.toContain('"components"');
    expect(anon.headers['content-type']).toContain('text/html');
    const wrong = await w.api.call('GET', '/status/inside/?key=wrong-horse-battery', undefined, {
      token: null,
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await w.api.call('GET', '/status/inside/?key=correct-horse-battery', undefined, {
      token: null,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toContain('private');
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    const json2 = await w.api.call('GET', '/status/inside/api/v2/status.json', undefined, {
      token: null,
      headers: { cookie },
    });
    expect(json2.statusCode).toBe(200);
  });

  it('publishes scheduled maintenance and hand-written updates, refusing a mismatched status', async () => {
    const { checkout } = await page();
    const now = w.clock.now().getTime();
    const bad = await w.api.call('POST', '/api/v1/statuspage/pages/acme/maintenances', {
      name: 'Database upgrade',
      body: 'Checkout read-only.',
      scheduled_for: new Date(now + 3600_000).toISOString(),
      scheduled_until: new Date(now + 1800_000).toISOString(),
      components: [checkout.id],
    });
    expect(bad.statusCode).toBe(400);
    expect(json<{ errors: { field: string }[] }>(bad).errors[0]!.field).toBe('scheduled_until');
    const m = await w.api.call('POST', '/api/v1/statuspage/pages/acme/maintenances', {
      name: 'Database upgrade',
      body: 'Checkout read-only.',
      scheduled_for: new Date(now + 3600_000).toISOString(),
      scheduled_until: new Date(now + 7200_000).toISOString(),
      components: [checkout.id],
    });
    expect(m.statusCode, m.body).toBe(201);
    const mid = json<{ id: string }>(m).id;
    const wrong = await w.api.call('POST', `/api/v1/statuspage/pages/acme/incidents/${mid}/updates`, {
      status: 'identified',
      body: 'x',
    });
    expect(wrong.statusCode).toBe(400);
    await w.mod.cache().settled();
    const up = json<Summary>(
      await w.api.call('GET', '/status/acme/api/v2/scheduled-maintenances/upcoming.json', undefined, {
        token: null,
      }),
    );
    expect(up.scheduled_maintenances.map((x) => x.id)).toEqual([mid]);
    const hand = await w.api.call('POST', '/api/v1/statuspage/pages/acme/incidents', {
      name: 'Slow search',
      impact: 'minor',
      body: 'Search is slow.',
      components: { [checkout.id]: 'degraded_performance' },
    });
    expect(hand.statusCode).toBe(201);
    await w.mod.cache().settled();
    const s = json<Summary>(
      await w.api.call('GET', '/status/acme/api/v2/status.json', undefined, { token: null }),
    );
    expect(s.status.indicator).toBe('minor');
  });
});
