import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertWorld, alertWorld } from './test/setup.ts';

let w: AlertWorld;
beforeEach(async () => {
  w = await alertWorld();
});
afterEach(() => w.close());

const actor = { id: 'sentry', name: 'Sentry', type: 'application' };

// Shaped after the examples in Sentry's integration-platform webhook documentation.
const eventAlert = {
  action: 'triggered',
  actor,
  data: {
    event: {
      event_id: 'ec5e1aa7aa6a4dd4b4e3f8b6f8b2f0a1',
      issue_id: '1117540176',
      project: 1,
      level: 'error',
      title: "TypeError: Cannot read property 'amount' of undefined",
      culprit: 'checkout/submit(<anonymous>)',
      datetime: '2026-01-05T08:50:00.123000Z',
      tags: [
        ['browser', 'Chrome 75.0.3770'],
        ['level', 'error'],
        ['environment', 'production'],
      ],
      url: 'https://sentry.io/api/0/projects/acme/checkout/events/ec5e1aa7aa6a4dd4b4e3f8b6f8b2f0a1/',
      web_url:
        'https://sentry.io/organizations/acme/issues/1117540176/events/ec5e1aa7aa6a4dd4b4e3f8b6f8b2f0a1/',
      issue_url: 'https://sentry.io/api/0/issues/1117540176/',
    },
    triggered_rule: 'Checkout errors',
  },
  installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
};

const issue = (action: string) => ({
  action,
  actor,
  data: {
    issue: {
      id: '1117540176',
      shortId: 'CHECKOUT-1',
      title: "TypeError: Cannot read property 'amount' of undefined",
      culprit: 'checkout/submit(<anonymous>)',
      level: 'error',
      status: action === 'resolved' ? 'resolved' : 'unresolved',
      firstSeen: '2026-01-05T08:50:00.123000Z',
      lastSeen: '2026-01-05T08:55:00Z',
      project: { id: '1', name: 'checkout', slug: 'checkout' },
      web_url: 'https://sentry.io/organizations/acme/issues/1117540176/',
    },
  },
  installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
});

const metricAlert = (action: 'critical' | 'warning' | 'resolved') => ({
  action,
  actor,
  data: {
    description_text: '1000 events in the last 10 minutes\nFilter: level:error',
    description_title: `${action === 'resolved' ? 'Resolved' : action === 'critical' ? 'Critical' : 'Warning'}: Too many errors`,
    metric_alert: {
      id: '7',
      identifier: '7',
      title: 'Too many errors',
      status: action === 'resolved' ? 2 : 20,
      date_started: '2026-01-05T08:40:00Z',
      date_detected: '2026-01-05T08:41:00Z',
      date_closed: action === 'resolved' ? '2026-01-05T09:10:00Z' : null,
      alert_rule: { id: '3', name: 'Too many errors', aggregate: 'count()', time_window: 10 },
    },
    web_url: 'https://sentry.io/organizations/acme/alerts/rules/details/3/?alert=7',
  },
  installation: { uuid: '7a485448-a9e2-4c85-8a3c-4f44175783c9' },
});

const post = (secret: string, resource: string, body: unknown) =>
  w.call('POST', `/intake/sentry/${secret}`, body, { 'sentry-hook-resource': resource });

describe('Sentry webhooks', () => {
  it('an issue alert opens an incident; Sentry resolving the issue resolves it', async () => {
    const { secret, endpoints } = await w.integration('sentry', 'sentry');
    expect(endpoints.url).toBe(`http://siaga.test/intake/sentry/${secret}`);
    const res = await post(secret, 'event_alert', eventAlert);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'success', alerts: 1 });
    const [inc] = (await w.call('GET', '/api/v1/incidents')).json().incidents;
    expect(inc).toMatchObject({
      title: "TypeError: Cannot read property 'amount' of undefined",
      detected_at: '2026-01-05T08:50:00.123Z',
    });
    const alerts = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(alerts[0]).toMatchObject({
      fingerprint: 'sentry:issue:1117540176',
      labels: {
        source: 'sentry',
        level: 'error',
        project: '1',
        rule: 'Checkout errors',
        environment: 'production',
      },
    });
    // "assigned" changes nothing about whether something is broken.
    expect((await post(secret, 'issue', issue('assigned'))).json()).toEqual({ status: 'success', alerts: 0 });
    await post(secret, 'issue', issue('resolved'));
    expect((await w.call('GET', `/api/v1/incidents/${inc.ref}`)).json().status).toBe('monitoring');
    const after = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: 'resolved', labels: { rule: 'Checkout errors' } });
  });

  it('a critical metric alert takes the severity the plan maps; resolved resolves it', async () => {
    const { secret } = await w.integration('sentry', 'sentry');
    await post(secret, 'metric_alert', metricAlert('critical'));
    const [inc] = (await w.call('GET', '/api/v1/incidents')).json().incidents;
    expect(inc).toMatchObject({
      severity: 'P1',
      title: 'Critical: Too many errors',
      detected_at: '2026-01-05T08:40:00.000Z',
    });
    await post(secret, 'metric_alert', metricAlert('resolved'));
    expect((await w.call('GET', `/api/v1/incidents/${inc.ref}`)).json().status).toBe('monitoring');
  });

  it('the installation webhook is acknowledged and stores nothing', async () => {
    const { secret } = await w.integration('sentry', 'sentry');
    const res = await post(secret, 'installation', { action: 'created', data: { installation: {} } });
    expect(res.json()).toEqual({ status: 'success', alerts: 0 });
    expect((await w.call('GET', '/api/v1/alerts')).json().alerts).toEqual([]);
  });

  it('bad input names the field and stores nothing; a wrong secret is 404', async () => {
    const { secret } = await w.integration('sentry', 'sentry');
    const noHeader = await w.call('POST', `/intake/sentry/${secret}`, eventAlert);
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().errors[0].field).toBe('Sentry-Hook-Resource');
    const broken = { ...eventAlert, data: { event: { ...eventAlert.data.event, issue_id: undefined } } };
    const res = await post(secret, 'event_alert', broken);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().errors[0].field).toBe('data.event.issue_id');
    const badAction = await post(secret, 'metric_alert', { ...metricAlert('critical'), action: 'firing' });
    expect(badAction.json().errors[0].field).toBe('action');
    expect((await w.call('GET', '/api/v1/alerts')).json().alerts).toEqual([]);
    expect((await w.call('GET', '/api/v1/incidents')).json().incidents).toEqual([]);
    expect((await post('nope', 'event_alert', eventAlert)).statusCode).toBe(404);
    const { secret: grafana } = await w.integration('grafana', 'grafana');
    expect((await post(grafana, 'event_alert', eventAlert)).statusCode).toBe(404);
  });
});
