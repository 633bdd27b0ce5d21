import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resultRows } from '../db/result-rows.ts';
import { parsePlan } from '../plans/parse.ts';
import { ALERT_PLAN, type AlertWorld, alertWorld } from './test/setup.ts';

let w: AlertWorld;
beforeEach(async () => {
  w = await alertWorld();
});
afterEach(() => w.close());

// A batch-posting tool in the style of Uptime Kuma / Zabbix media scripts: its own field names.
const mapping = {
  alerts: '$.checks',
  title: '$.name',
  dedup_key: '$.id',
  status: '$.state',
  resolved_values: ['UP'],
  severity: '$.meta["priority level"]',
  service: '$.meta.service',
  starts_at: '$.since',
  labels: { region: '$.where[0]' },
};
const check = (state: string) => ({
  id: 'chk-17',
  name: 'Checkout health check failing',
  state,
  since: '2026-01-05T08:50:00Z',
  meta: { 'priority level': 'critical', service: 'checkout' },
  where: ['ap-southeast-3', 'jakarta'],
});

async function create(body: unknown) {
  return w.call('POST', '/api/v1/integrations', body);
}

describe('generic JSON webhooks', () => {
  it('take the same rounds as other intakes: a repeat is answered from memory and counted', async () => {
    const { secret } = (await create({ type: 'webhook', name: 'kuma', mapping })).json();
    for (let i = 0; i < 3; i++)
      await w.call('POST', `/intake/webhook/${secret}`, { checks: [check('DOWN')] });
    // The repeats did not rewrite the row before they were answered...
    const stored = await w.database.db.execute(sql`SELECT count FROM alerts`);
    expect(resultRows<{ count: number }>(stored).map((r) => Number(r.count))).toEqual([1]);
    // ...and a read through the API writes them first.
    const [alert] = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(alert).toMatchObject({ fingerprint: 'webhook:chk-17', count: 3 });
  });

  it('the mapping reads the sender’s fields; its resolved value resolves the incident', async () => {
    const r = await create({ type: 'webhook', name: 'kuma', mapping });
    expect(r.statusCode).toBe(201);
    const { secret, endpoints } = r.json();
    expect(endpoints.url).toBe(`http://siaga.test/intake/webhook/${secret}`);
    expect(r.json().mapping).toMatchObject({ title: '$.name', resolved_values: ['UP'] });
    const res = await w.call('POST', `/intake/webhook/${secret}`, { checks: [check('DOWN')] });
    expect(res.json()).toEqual({ status: 'success', alerts: 1 });
    const [inc] = (await w.call('GET', '/api/v1/incidents')).json().incidents;
    expect(inc).toMatchObject({
      severity: 'P1',
      title: 'Checkout health check failing',
      detected_at: '2026-01-05T08:50:00.000Z',
    });
    const [alert] = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(alert).toMatchObject({
      fingerprint: 'webhook:chk-17',
      status: 'firing',
      labels: { severity: 'critical', service: 'checkout', region: 'ap-southeast-3' },
    });
    await w.call('POST', `/intake/webhook/${secret}`, { checks: [check('up')] });
    expect((await w.call('GET', `/api/v1/incidents/${inc.ref}`)).json().status).toBe('monitoring');
    const after = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(after).toHaveLength(1);
    expect(after[0].status).toBe('resolved');
  });

  it('without alerts or dedup_key the body is one alert identified by its labels', async () => {
    const { secret } = (
      await create({
        type: 'webhook',
        name: 'cron',
        mapping: { title: 'job.title', labels: { job: 'job.name' } },
      })
    ).json();
    const body = { job: { title: 'Nightly reconciliation failed', name: 'recon' } };
    await w.call('POST', `/intake/webhook/${secret}`, body);
    await w.call('POST', `/intake/webhook/${secret}`, body);
    const alerts = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ count: 2, labels: { job: 'recon' }, status: 'firing' });
    // Default severity of the plan's catch-all route.
    expect((await w.call('GET', '/api/v1/incidents')).json().incidents[0].severity).toBe('P2');
  });

  it('a mapping change applies to the next post and is audited', async () => {
    const { secret } = (await create({ type: 'webhook', name: 'kuma', mapping })).json();
    const put = await w.call('PUT', '/api/v1/integrations/kuma/mapping', { ...mapping, title: '$.id' });
    expect(put.statusCode).toBe(200);
    expect(put.json().mapping.title).toBe('$.id');
    await w.call('POST', `/intake/webhook/${secret}`, { checks: [check('DOWN')] });
    expect((await w.call('GET', '/api/v1/alerts')).json().alerts[0].title).toBe('chk-17');
    const audit = (await w.call('GET', '/api/v1/audit?limit=50')).json();
    const entries = audit.entries ?? audit.records ?? audit;
    expect(JSON.stringify(entries)).toContain('integration.mapping_changed');
  });

  it('a bad mapping is refused naming the field, and nothing is created', async () => {
    const missing = await create({ type: 'webhook', name: 'a' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].field).toBe('mapping');
    const badPath = await create({ type: 'webhook', name: 'a', mapping: { title: '$.alert..name' } });
    expect(badPath.statusCode).toBe(400);
    expect(badPath.json().errors[0].field).toBe('mapping.title');
    expect(badPath.json().errors[0].message).toMatch(/field name after "\."/);
    const typo = await create({ type: 'webhook', name: 'a', mapping: { title: '$.t', sevrity: '$.s' } });
    expect(typo.statusCode).toBe(400);
    expect(JSON.stringify(typo.json().errors)).toContain('sevrity');
    const wrongType = await create({ type: 'grafana', name: 'a', mapping: { title: '$.t' } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors[0].field).toBe('mapping');
    expect((await w.call('GET', '/api/v1/integrations')).json().integrations).toEqual([]);
  });

  it('a post missing a mapped field is refused naming its path; nothing is stored', async () => {
    const { secret } = (await create({ type: 'webhook', name: 'kuma', mapping })).json();
    const { name: _name, ...noName } = check('DOWN');
    const res = await w.call('POST', `/intake/webhook/${secret}`, { checks: [check('DOWN'), noName] });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().errors[0].field).toBe('$.checks[1].name');
    const notArray = await w.call('POST', `/intake/webhook/${secret}`, { checks: 'x' });
    expect(notArray.json().errors[0].field).toBe('$.checks');
    const badTime = await w.call('POST', `/intake/webhook/${secret}`, {
      checks: [{ ...check('DOWN'), since: 'yesterday' }],
    });
    expect(badTime.json().errors[0].field).toBe('$.checks[0].since');
    expect((await w.call('GET', '/api/v1/alerts')).json().alerts).toEqual([]);
    expect((await w.call('POST', '/intake/webhook/nope', {})).statusCode).toBe(404);
    const { secret: grafana } = await w.integration('grafana', 'grafana');
    expect((await w.call('POST', `/intake/webhook/${grafana}`, {})).statusCode).toBe(404);
  });

  it('a mapping written in the plan serves an integration of that name; its own mapping wins', async () => {
    await w.close();
    const plan = `${ALERT_PLAN}  webhooks:
    cron:
      title: $.job.title
      status: $.job.result
      resolved_values: [success]
      labels: { job: $.job.name }
`;
    w = await alertWorld({ plan });
    const { secret } = (await create({ type: 'webhook', name: 'cron' })).json();
    const fail = { job: { title: 'Daily reconciliation failed', name: 'recon', result: 'failure' } };
    expect((await w.call('POST', `/intake/webhook/${secret}`, fail)).json()).toEqual({
      status: 'success',
      alerts: 1,
    });
    const [alert] = (await w.call('GET', '/api/v1/alerts')).json().alerts;
    expect(alert).toMatchObject({ title: 'Daily reconciliation failed', labels: { job: 'recon' } });
    await w.call('POST', `/intake/webhook/${secret}`, { job: { ...fail.job, result: 'success' } });
    expect((await w.call('GET', '/api/v1/alerts')).json().alerts[0].status).toBe('resolved');
    // Another name has no plan mapping, so it still needs its own.
    const other = await create({ type: 'webhook', name: 'other' });
    expect(other.json().errors[0].message).toContain('routing.webhooks.other');
    await w.call('PUT', '/api/v1/integrations/cron/mapping', { title: '$.job.name' });
    await w.call('POST', `/intake/webhook/${secret}`, { job: { name: 'override-wins' } });
    const titles = (await w.call('GET', '/api/v1/alerts'))
      .json()
      .alerts.map((a: { title: string }) => a.title);
    expect(titles).toContain('override-wins');
  });

  it('a new plan version’s mapping serves the next post: the intake does not keep the old plan', async () => {
    await w.close();
    const planWith = (title: string) => `${ALERT_PLAN}  webhooks:
    cron:
      title: ${title}
      labels: { job: $.job.name }
`;
    w = await alertWorld({ plan: planWith('$.job.title') });
    const { secret } = (await create({ type: 'webhook', name: 'cron' })).json();
    const post = (title: string, name: string) =>
      w.call('POST', `/intake/webhook/${secret}`, { job: { title, name } });
    expect((await post('Reconciliation failed', 'recon')).statusCode).toBe(200);
    const applied = await w.call('POST', '/api/v1/plan/versions', { source: planWith('$.job.name') });
    expect(applied.statusCode, applied.body).toBe(201);
    expect((await post('Audit verification failed', 'audit-verify')).statusCode).toBe(200);
    const titles = (await w.call('GET', '/api/v1/alerts'))
      .json()
      .alerts.map((a: { title: string }) => a.title);
    expect(titles.sort()).toEqual(['Reconciliation failed', 'audit-verify']);
  });

  it('a bad path in the plan is a plan problem with its place in the file', () => {
    const r = parsePlan(`${ALERT_PLAN}  webhooks:\n    cron:\n      title: $.job..title\n`);
    expect(r.ok).toBe(false);
    const text = JSON.stringify(r);
    expect(text).toContain('routing.webhooks.cron.title');
    expect(text).toContain('field name after');
  });
});
