import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { apiFor } from '../../test/support/http.ts';

let w: TestWorld;
const lines: Record<string, unknown>[] = [];

beforeEach(async () => {
  w = await createWorld();
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  w.env.log = pino({ level: 'info' }, sink);
});
afterEach(() => w.close());

it('logs each request as JSON with its request id and the caller’s W3C trace context', async () => {
  const api = await apiFor(w);
  const res = await api.call('GET', '/api/v1/me', undefined, {
    headers: {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'x-request-id': 'req-abc',
    },
  });
  expect(res.headers['x-request-id']).toBe('req-abc');
  const done = lines.find((l) => l.msg === 'request completed' && l.request_id === 'req-abc');
  expect(done).toMatchObject({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' });
  expect(JSON.stringify(lines)).not.toContain(api.token);
  await api.app.close();
});

it('leaves credentials in a URL’s query out of the request log', async () => {
  const api = await apiFor(w);
  await api.call('GET', '/api/v1/me?token=s3cr3t-value&lang=id');
  const urls = lines.filter((l) => l.msg === 'incoming request').map((l) => (l.req as { url: string }).url);
  expect(urls).toContain('/api/v1/me?token=<redacted>&lang=id');
  expect(JSON.stringify(lines)).not.toContain('s3cr3t-value');
  await api.app.close();
});
