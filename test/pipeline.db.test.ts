import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alertsModule } from '../src/alerts/module.ts';
import { escalationModule } from '../src/escalation/module.ts';
import { findIncident } from '../src/incidents/queries.ts';
import { runVerb } from '../src/kernel/verb.ts';
import { addContact } from '../src/notify/contacts.ts';
import { notifyModule } from '../src/notify/module.ts';
import { applyOnCallFile } from '../src/oncall/apply.ts';
import { oncallModule } from '../src/oncall/module.ts';
import { applyPlan } from '../src/plans/store.ts';
import type { TestWorld } from './support/env.ts';
import { apiFor } from './support/http.ts';
import { readPlan } from './support/incidents.ts';
import { testSettings, until } from './support/notify.ts';
import { type HttpReceiver, httpReceiver } from './support/receivers.ts';
import { createScenario, type Scenario } from './support/scenario.ts';

/**
 * The capabilities wired together as `serve` wires them: an alert comes in, the plan's routing
 * opens the incident, escalation pages whoever the on-call file says holds the shift, notify
 * delivers the page to that person's Slack with a one-click link, and the link acknowledges.
 */
vi.setConfig({ testTimeout: 120_000 });

const ONCALL = `siaga_oncall: oncall/1
schedules:
  - key: primary
    name: Primary on-call
    time_zone: Asia/Jakarta
    layers:
      - participants: [alice@acme.test, bob@acme.test]
        shift: 1w
        handoff: "09:00"
        start: 2026-01-05
roles:
  on_call: { schedule: primary }
contacts:
  team_lead: { user: lead@acme.test }
  engineering_manager: { user: lead@acme.test }
  cto: { user: lead@acme.test }
  security_team: { user: lead@acme.test }
`;

let s: Scenario;
let slack: HttpReceiver;
let notify: ReturnType<typeof notifyModule>;

beforeEach(async () => {
  slack = await httpReceiver();
  notify = notifyModule({ settings: testSettings() });
  s = await createScenario({
    modules: [alertsModule(), oncallModule(), escalationModule({ pollingIntervalSeconds: 20 }), notify],
    start: '2026-01-05T03:00:00.000Z',
  });
  const as = <T>(fn: Parameters<typeof runVerb<T>>[2]) => runVerb(s.env, s.admin.scope, fn);
  await as((ctx) => applyPlan(ctx, { source: readPlan('vpn.yaml') }));
  const alice = await s.addMember({ email: 'alice@acme.test' });
  for (const name of ['bob', 'lead']) await s.addMember({ email: `${name}@acme.test` });
  await as((ctx) => applyOnCallFile(ctx, { source: ONCALL }));
  await as((ctx) => addContact(ctx, alice.id, { kind: 'slack', address: `${slack.url}/services/T0/B0/x` }));
});
afterEach(async () => {
  await s.close();
  await slack.close();
});

describe('from a PAGE alert to an acknowledged incident (seed 003)', () => {
  it('opens P0 from the alert, pages the on-call engineer on Slack, and the link in the page acknowledges', async () => {
    const startsAt = new Date(s.clock.now().getTime() - 120_000);
    await runVerb(s.env, s.admin.scope, (ctx) =>
      s.env.alerts!.raise(ctx, [
        {
          source: 'prometheus',
          fingerprint: 'vpn-api-down',
          status: 'firing',
          title: 'VPN API is down',
          labels: { alertname: 'VpnApiDown', level: 'PAGE', service: 'vpn_api' },
          startsAt,
        },
      ]),
    );
    await until(s, () => slack.requests.length >= 1);
    const page = JSON.parse(slack.requests[0]!.body) as { text: string };
    expect(page.text).toContain('VPN API is down');
    const link = JSON.stringify(page).match(/http:\/\/siaga\.test(\/notify\/act\/[A-Za-z0-9._~-]+)/);
    expect(link).not.toBeNull();

    const inc = await findIncident(s.database.db, s.workspaceId, 'INC-1');
    expect(inc.severityKey).toBe('P0');
    // Detected when the signal started, not when Siaga heard of it: MTTD starts at the source.
    expect(inc.detectedAt.getTime()).toBe(startsAt.getTime());
    expect(inc.acknowledgedAt).toBeNull();

    // The one-click link is served by notify's own routes.
    const api = await apiFor(s as unknown as TestWorld, {
      plugins: [(app, env) => notify.routes!(app, env)],
    });
    const confirm = await api.call('GET', link![1]!, undefined, { token: null });
    expect(confirm.statusCode).toBe(200);
    // Looking at the link (as a mail scanner would) changes nothing.
    expect((await findIncident(s.database.db, s.workspaceId, 'INC-1')).acknowledgedAt).toBeNull();
    const acted = await api.call('POST', link![1]!, '', {
      token: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(acted.statusCode).toBeLessThan(400);
    expect((await findIncident(s.database.db, s.workspaceId, 'INC-1')).acknowledgedAt).not.toBeNull();
    await api.app.close();
  });
});
