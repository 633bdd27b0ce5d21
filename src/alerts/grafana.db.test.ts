import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertWorld, alertWorld } from './test/setup.ts';

let w: AlertWorld;
beforeEach(async () => {
  w = await alertWorld();
});
afterEach(() => w.close());

// The example body from Grafana's "Webhook notifier" documentation (unified alerting).
const grafana = (status: 'firing' | 'resolved') => ({
  receiver: 'My Super Webhook',
  status,
  orgId: 1,
  alerts: [
    {
      status,
      labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1', severity: 'critical' },
      annotations: {
        description: 'The system has high memory usage',
        runbook_url: 'https://myrunbook.com/runbook/1234',
        summary: 'This alert was triggered for zone us-1',
      },
      startsAt: '2026-01-05T08:45:00Z',
      endsAt: status === 'resolved' ? '2026-01-05T09:05:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://localhost:3000/alerting/1afz29v7z/edit',
      fingerprint: 'c6eadffa33fcdf37',
      silenceURL: 'http://localhost:3000/alerting/silence/new',
      dashboardURL: '',
      panelURL: '',
      values: { B: 44.23943737541908, C: 1 },
      valueString: "[ metric='' labels={} value=44.23943737541908 ]",
    },
  ],
  groupLabels: {},
  commonLabels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
  commonAnnotations: {},
  externalURL: 'http://localhost:3000/',
  version: '1',
  groupKey: '{}:{alertname="High memory usage"}',
  truncatedAlerts: 0,
  title: '[FIRING:1]  (High memory usage blue us-1)',
  state: 'alerting',
  message: '**Firing**\n\nLabels:\n - alertname = High memory usage',
});

describe('Grafana alerting webhook', () => {
  it('opens an incident from Grafana’s documented payload and resolves it', async () => {
    const { secret, endpoints } = await w.integration('grafana', 'grafana');
    expect(endpoints.url).toBe(`http://siaga.test/intake/grafana/${secret}`);
    expect((await w.call('POST', `/intake/grafana/${secret}`, grafana('firing'))).statusCode).toBe(200);
    const [inc] = (await w.call('GET', '/api/v1/incidents')).json().incidents;
    expect(inc).toMatchObject({
      severity: 'P1',
      title: 'This alert was triggered for zone us-1',
      detected_at: '2026-01-05T08:45:00.000Z',
    });
    await w.call('POST', `/intake/grafana/${secret}`, grafana('resolved'));
    expect((await w.call('GET', `/api/v1/incidents/${inc.ref}`)).json().status).toBe('monitoring');
    // A Grafana secret does not open the Alertmanager door.
    expect((await w.call('POST', `/intake/alertmanager/${secret}`, grafana('firing'))).statusCode).toBe(404);
  });
});
