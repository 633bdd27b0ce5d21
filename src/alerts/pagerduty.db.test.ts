import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertWorld, alertWorld } from './test/setup.ts';

let w: AlertWorld;
afterEach(() => w.close());

const URL = '/intake/pagerduty/v2/enqueue';
// The example trigger from PagerDuty's Events API v2 documentation.
const trigger = (routing_key: string, extra: object = {}) => ({
  routing_key,
  event_action: 'trigger',
  dedup_key: 'srv01/HTTP',
  payload: {
    summary: 'DISK at 99% on machine prod-datapipe03.example.com',
    timestamp: '2026-01-05T08:42:58.315Z',
    severity: 'critical',
    source: 'prod-datapipe03.example.com',
    component: 'mysql',
    group: 'prod-datapipe',
    class: 'disk',
    custom_details: { free_space: '1%', ping_time: '1500ms' },
  },
  ...extra,
});

describe('PagerDuty Events API v2', () => {
  beforeEach(async () => {
    w = await alertWorld();
  });

  it('answers as PagerDuty does and drives the incident through trigger, acknowledge and resolve', async () => {
    const { secret } = await w.integration('pagerduty', 'pd');
    const r = await w.call('POST', URL, trigger(secret), { authorization: '' });
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'srv01/HTTP' });
    const [inc] = (await w.call('GET', '/api/v1/incidents')).json().incidents;
    expect(inc).toMatchObject({ severity: 'P1', detected_at: '2026-01-05T08:42:58.315Z' });
    const [alert] = (await w.call('GET', `/api/v1/incidents/${inc.ref}/alerts`)).json().alerts;
    expect(alert.labels).toMatchObject({ component: 'mysql', group: 'prod-datapipe', class: 'disk' });

    const ack = await w.call('POST', URL, {
      routing_key: secret,
      event_action: 'acknowledge',
      dedup_key: 'srv01/HTTP',
    });
    expect(ack.statusCode).toBe(202);
    expect((await w.call('GET', `/api/v1/incidents/${inc.ref}`)).json().acknowledged_at).not.toBeNull();

    const res = await w.call('POST', URL, {
      routing_key: secret,
      event_action: 'resolve',
      dedup_key: 'srv01/HTTP',
    });
    expect(res.statusCode).toBe(202);
    expect((await w.call('GET', `/api/v1/incidents/${inc.ref}`)).json().status).toBe('monitoring');
    // The resolve carried no payload: the alert keeps what the trigger said.
    const after = (await w.call('GET', `/api/v1/alerts/${alert.id}`)).json();
    // Acknowledging is a person's act, not another report of the alert: trigger and resolve count.
    expect(after).toMatchObject({ status: 'resolved', title: alert.title, count: 2 });
  });

  it('rejects invalid events in PagerDuty’s shape, storing nothing, and unknown keys with 404', async () => {
    const { secret } = await w.integration('pagerduty', 'pd');
    const bad = await w.call(
      'POST',
      URL,
      trigger(secret, { payload: { summary: 'x', source: 'y', severity: 'fatal' } }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ['payload.severity: must be one of critical, error, warning, info'],
    });
    const short = await w.call('POST', URL, trigger('abc'));
    expect(short.json().errors).toEqual([
      "routing_key: Length of 'routing_key' is incorrect (should be 32 characters)",
    ]);
    const notJson = await w.call('POST', URL, '{"routing_key":', { 'content-type': 'application/json' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().status).toBe('invalid event');
    expect((await w.call('POST', URL, trigger('f'.repeat(32)))).statusCode).toBe(404);
    expect((await w.call('GET', '/api/v1/alerts')).json().alerts).toEqual([]);
  });
});

describe('abuse limits', () => {
  beforeEach(async () => {
    w = await alertWorld({
      environment: { SIAGA_ALERTS_BODY_LIMIT: '4096', SIAGA_ALERTS_RATE: '0.01', SIAGA_ALERTS_BURST: '2' },
    });
  });

  it('413s a body over the limit and 429s a sender over its rate, with Retry-After', async () => {
    const { secret } = await w.integration('pagerduty', 'pd');
    const big = trigger(secret, {
      payload: { ...trigger(secret).payload, custom_details: { blob: 'x'.repeat(5000) } },
    });
    const tooBig = await w.call('POST', URL, big);
    expect(tooBig.statusCode).toBe(413);
    expect((await w.call('POST', URL, trigger(secret))).statusCode).toBe(202);
    expect((await w.call('POST', URL, trigger(secret))).statusCode).toBe(202);
    const limited = await w.call('POST', URL, trigger(secret, { dedup_key: 'other' }));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const alerts = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].count).toBe(2);
  });
});
