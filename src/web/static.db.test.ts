import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { type Api, apiFor } from '../../test/support/http.ts';
import { FIXTURE_PLAN, withPlan } from '../../test/support/incidents.ts';
import { webModule } from './module.ts';

describe('the app at / and the plan diff API', () => {
  let w: TestWorld;
  let api: Api;
  let missing: Api;
  const dir = mkdtempSync(join(tmpdir(), 'siaga-webdir-'));
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script src="/assets/index-abc123.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync('console.log(1)'));
    w = await createWorld();
    await withPlan(w);
    const web = webModule({ dir, heartbeatMs: 1000 });
    api = await apiFor(w, { plugins: [(a) => web.routes!(a, w.env)] });
    const none = webModule({ dir: join(dir, 'nope'), heartbeatMs: 1000 });
    missing = await apiFor(w, { plugins: [(a) => none.routes!(a, w.env)] });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('serves index.html revalidated and hashed assets cached for a year', async () => {
    const index = await api.call('GET', '/', undefined, { token: null });
    expect(index.statusCode).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body).toContain('/assets/index-abc123.js');
    const asset = await api.call('GET', '/assets/index-abc123.js', undefined, { token: null });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-encoding']).toBeUndefined();
    expect(asset.body).toBe('console.log(1)');
    const packed = await api.call('GET', '/assets/index-abc123.js', undefined, {
      token: null,
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(packed.headers.vary).toContain('accept-encoding');
    expect(gunzipSync(packed.rawPayload).toString()).toBe('console.log(1)');
  });

  it('answers unknown or traversing asset paths with problem+json 404, and /api keeps working', async () => {
    for (const url of ['/assets/nope.js', '/assets/..%2Findex.html', '/assets/index-abc123.exe']) {
      const r = await api.call('GET', url, undefined, { token: null });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await api.call('GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('says how to build the app when it is missing', async () => {
    const r = await missing.call('GET', '/', undefined, { token: null });
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('npm run build');
  });

  it('shows what changed between plan versions, and names a bad `from`', async () => {
    const changed = FIXTURE_PLAN.replace(/response_target: (\S+)/, 'response_target: 1m');
    expect(changed).not.toBe(FIXTURE_PLAN);
    const applied = await api.call('POST', '/api/v1/plan/versions', { source: changed, comment: 'faster' });
    expect(applied.statusCode).toBe(201);
    const v = applied.json().version.version as number;
    const d = await api.call('GET', `/api/v1/plan/versions/${v}/diff`);
    expect(d.statusCode).toBe(200);
    const body = d.json();
    expect(body.from).toBe(v - 1);
    expect(body.sections.map((s: { section: string }) => s.section)).toContain('severities');
    const lines = body.hunks.flatMap((h: { lines: { op: string; text: string }[] }) => h.lines);
    expect(
      lines.filter((l: { op: string }) => l.op === 'added').map((l: { text: string }) => l.text.trim()),
    ).toEqual(['response_target: 1m']);
    for (const [url, field] of [
      [`/api/v1/plan/versions/${v}/diff?from=0`, 'from'],
      [`/api/v1/plan/versions/${v}/diff?from=x`, 'from'],
      [`/api/v1/plan/versions/${v}/diff?context=99`, 'context'],
      ['/api/v1/plan/versions/1/diff', 'from'],
    ] as const) {
      const r = await api.call('GET', url);
      expect(r.statusCode, url).toBe(400);
      expect(
        r.json().errors.map((e: { field: string }) => e.field),
        url,
      ).toContain(field);
    }
    expect((await api.call('GET', `/api/v1/plan/versions/${v}/diff?from=99`)).statusCode).toBe(404);
  });
});
