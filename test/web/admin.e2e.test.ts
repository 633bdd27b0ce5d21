import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logIn, screenshot, startWebServer, type WebServer } from '../support/browser.ts';

describe('status page admin and my notifications in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  const api = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(r.status).toBe(200);
    return (await r.json()) as T;
  };
  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('creates a page and a component, sets its status and the public page shows it', async () => {
    const page = await (await browser.newContext()).newPage();
    await logIn(page, server);
    await page.getByRole('link', { name: 'Status page' }).click();
    await page.getByRole('heading', { name: 'Status pages' }).waitFor();
    await page.getByText('No status page yet.').waitFor();
    await page.getByText('No monitors.').waitFor();

    await page.getByLabel('Slug (in the address)').fill('acme');
    await page.getByLabel('Name', { exact: true }).first().fill('Acme Status');
    await page.getByRole('button', { name: 'Create page' }).click();
    await page.getByRole('button', { name: 'Acme Status (acme)', pressed: true }).waitFor();

    await page.getByRole('form', { name: 'Add a component' }).getByLabel('Name').fill('Checkout');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const row = page.locator('tr[data-component="Checkout"]');
    const status = row.locator('[data-status]');
    await expect.poll(() => status.innerText()).toBe('✓ Operational');

    await page.getByLabel('New status of Checkout').selectOption('partial_outage');
    await page.getByRole('button', { name: 'Set status of Checkout' }).click();
    // Text and shape, not only colour.
    await expect.poll(() => status.innerText()).toBe('▲ Partial outage');
    await expect(status.getAttribute('data-status')).resolves.toBe('partial_outage');
    await screenshot(page, '6-statuspage-admin');

    // The public page, served from the server's cache, follows within a few seconds.
    const link = page.getByRole('link', { name: /Open the public page/ });
    await expect(link.getAttribute('href')).resolves.toBe('/status/acme/');
    const visitor = await (await browser.newContext()).newPage();
    await expect
      .poll(
        async () => {
          await visitor.goto(`${server.url}/status/acme/`);
          return visitor.locator('body').innerText();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toContain('Partial outage');
    await screenshot(visitor, '7-statuspage-public');

    // A public incident through the browser, recorded by the API.
    await page.getByLabel('Title the public sees').fill('Checkout is slow');
    await page.locator('form[aria-labelledby="sp-inc-title"] textarea').fill('We are looking into it.');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published.').waitFor();
    await expect
      .poll(
        async () => {
          await visitor.goto(`${server.url}/status/acme/`);
          return visitor.locator('body').innerText();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toContain('Checkout is slow');

    const detail = await api<{ components: { name: string; status: string }[] }>(
      '/api/v1/statuspage/pages/acme',
    );
    expect(detail.components).toEqual([
      expect.objectContaining({ name: 'Checkout', status: 'partial_outage' }),
    ]);
  });

  it('adds contact methods, rejects a bad address beside the field, and saves an escalating rule', async () => {
    const page = await (await browser.newContext()).newPage();
    await logIn(page, server);
    await page.getByRole('link', { name: 'My notifications' }).click();
    await page.getByRole('heading', { name: 'My notifications' }).waitFor();
    await page.getByText('No contact methods yet: you cannot be paged.').waitFor();

    await page.getByLabel('Kind').selectOption('telegram');
    await page.getByLabel('Address').fill('not a chat');
    await page.getByRole('button', { name: 'Add contact method' }).click();
    await page
      .locator('#me-address-err')
      .getByText(/Telegram chat id/)
      .waitFor();
    await page.getByLabel('Address').fill('123456789');
    await page.getByLabel('Label (optional)').fill('phone');
    await page.getByRole('button', { name: 'Add contact method' }).click();
    await page.getByTestId('contacts').getByText('123456789').waitFor();

    await page.getByLabel('Kind').selectOption('email');
    await page.getByLabel('Address').fill('oncall@example.com');
    await page.getByRole('button', { name: 'Add contact method' }).click();
    await page.getByTestId('contacts').getByText('oncall@example.com').waitFor();

    // E-mail at once, Telegram after two minutes if nobody acknowledged.
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page
      .getByRole('group', { name: 'Rule 1' })
      .getByLabel('Contact method')
      .selectOption({ label: 'email · email' });
    await page.getByRole('button', { name: 'Add rule' }).click();
    const second = page.getByRole('group', { name: 'Rule 2' });
    await second.getByLabel('Contact method').selectOption({ label: 'telegram · phone' });
    await expect(second.getByLabel(/After/).inputValue()).resolves.toBe('2m');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText('Rules saved.').waitFor();
    await page
      .getByTestId('rules-summary')
      .getByText(/telegram · phone: after 2m if not acknowledged/)
      .waitFor();
    await screenshot(page, '8-my-notifications');

    const contacts = await api<{ contacts: { id: string; kind: string }[] }>('/api/v1/me/contacts');
    const rules = await api<{ rules: { contact_id: string; after_seconds: number }[] }>('/api/v1/me/rules');
    const idOf = (kind: string) => contacts.contacts.find((c) => c.kind === kind)!.id;
    expect(rules.rules).toEqual([
      expect.objectContaining({ contact_id: idOf('email'), after_seconds: 0 }),
      expect.objectContaining({ contact_id: idOf('telegram'), after_seconds: 120 }),
    ]);

    // Removing a contact method goes through the API too; in Bahasa Indonesia the labels change.
    await page.getByRole('button', { name: 'Remove email' }).click();
    await expect
      .poll(async () => (await api<{ contacts: unknown[] }>('/api/v1/me/contacts')).contacts.length)
      .toBe(1);
    await page.getByLabel('Language').selectOption('id');
    await page.getByRole('heading', { name: 'Metode kontak', exact: true }).waitFor();
  });

  it('shows MTTA and MTTR per severity and a monthly trend drawn in SVG', async () => {
    const call = async (method: string, path: string, body: unknown = {}) => {
      const r = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(r.status, await r.clone().text()).toBeLessThan(300);
      return (await r.json()) as { ref: string };
    };
    // A real incident, acknowledged and resolved through the API, so the figures are its own.
    const inc = await call('POST', '/api/v1/incidents', { title: 'Search is down', type: 'outage' });
    await call('POST', `/api/v1/incidents/${inc.ref}/acknowledge`);
    await call('POST', `/api/v1/incidents/${inc.ref}/status`, { status: 'resolved', reason: 'Fixed' });

    const page = await (await browser.newContext()).newPage();
    await logIn(page, server);
    await page.getByRole('link', { name: 'Metrics' }).click();
    await page.getByRole('heading', { name: 'MTTA and MTTR per severity' }).waitFor();
    const row = page.locator('tr[data-severity="P2"]');
    await expect(row.locator('td').first().innerText()).resolves.toBe('1');
    await page.getByRole('img', { name: /Mean time per month/ }).waitFor();
    await expect(page.locator('figure.trend circle').count()).resolves.toBe(1);
    await expect(page.locator('figure.trend rect').count()).resolves.toBe(1);
    await screenshot(page, '9-metrics');
  });

  it('shows who is on call now per schedule and the next handoffs', async () => {
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const member = await fetch(`${server.url}/api/v1/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: 'bob@example.com', name: 'Bob', role: 'responder' }),
    });
    expect(member.status, await member.text()).toBe(201);
    // Two people taking turns daily: a handoff every day of the next two weeks.
    const r = await fetch(`${server.url}/api/v1/schedules/primary`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        name: 'Primary',
        layers: [
          {
            participants: [server.email, 'bob@example.com'],
            shift: '1d',
            handoff: '09:00',
            start: '2026-01-01',
          },
        ],
      }),
    });
    expect(r.status, await r.text()).toBe(200);

    const page = await (await browser.newContext()).newPage();
    await logIn(page, server);
    await page.getByRole('link', { name: 'On call' }).click();
    await page.getByRole('heading', { name: 'On call now' }).waitFor();
    const now = await fetch(`${server.url}/api/v1/oncall`, { headers });
    const who = ((await now.json()) as { on_call: { key: string; people: string[] }[] }).on_call.find(
      (o) => o.key === 'primary',
    )!.people[0]!;
    await page.locator('tr[data-oncall="schedule:primary"]').getByText(who).waitFor();
    const schedule = page.locator('[data-schedule="primary"]');
    await schedule.getByRole('heading', { name: 'Next handoffs' }).waitFor();
    await expect.poll(() => schedule.locator('ol.handoffs li').count()).toBe(5);
    await screenshot(page, '10-oncall');

    // Bob is covered: the signed-in person takes the next four hours, starting now.
    await schedule.getByLabel('For').selectOption('4');
    // The handoffs are fetched again, so the end of the override shows as the next handoff.
    const refetched = page.waitForResponse((r) => r.url().includes('/api/v1/schedules/primary/shifts'));
    await schedule.getByRole('button', { name: 'I’ll cover' }).click();
    await schedule.getByText('Override saved').waitFor();
    expect((await refetched).status()).toBe(200);
    const after = await fetch(`${server.url}/api/v1/oncall`, { headers });
    const covering = ((await after.json()) as { on_call: { key: string; people: string[] }[] }).on_call.find(
      (o) => o.key === 'primary',
    )!.people;
    expect(covering).toHaveLength(1);
    const mine = await fetch(`${server.url}/api/v1/me`, { headers });
    const me = (await mine.json()) as { name: string; email: string };
    expect([me.name, me.email]).toContain(covering[0]);
    await expect
      .poll(() => page.locator('tr[data-oncall="schedule:primary"]').innerText())
      .toContain(covering[0]);
    const audit = (await (await fetch(`${server.url}/api/v1/audit?limit=20`, { headers })).json()) as {
      records: { action?: string; kind?: string; data?: unknown }[];
    };
    expect(JSON.stringify(audit.records)).toContain('oncall.override_added');
    expect(JSON.stringify(audit.records)).toContain(me.email);
  });

  it('lists firing alerts, silences one from its labels, refuses a bad matcher and expires the silence', async () => {
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const created = await fetch(`${server.url}/api/v1/integrations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        type: 'webhook',
        name: 'cron',
        mapping: { title: '$.title', labels: { alertname: '$.name', host: '$.host' } },
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { endpoints } = (await created.json()) as { endpoints: { url: string } };
    // The endpoint names the configured public URL; the test server listens on its own port.
    const posted = await fetch(`${server.url}${new URL(endpoints.url).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Disk almost full on db-1', name: 'DiskFull', host: 'db-1' }),
    });
    expect(posted.status, await posted.text()).toBe(200);

    const page = await (await browser.newContext()).newPage();
    await logIn(page, server);
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    const row = page.locator('tr[data-status="firing"]', { hasText: 'Disk almost full on db-1' });
    await row.getByText('host=db-1').waitFor();
    // The list is newest first; the table says so on the column it is ordered by.
    await expect(
      page.getByRole('columnheader', { name: 'First seen' }).getAttribute('aria-sort'),
    ).resolves.toBe('descending');
    await page.getByText('No silences.').waitFor();

    await row.getByRole('button', { name: /Silence like this/ }).click();
    const matchers = page.getByLabel(/Matchers, one per line/);
    await expect.poll(() => matchers.inputValue()).toBe('alertname=DiskFull\nhost=db-1');
    await matchers.fill('alertname DiskFull');
    await page.getByLabel('Reason').fill('disk swap tonight');
    await page.getByRole('button', { name: 'Silence', exact: true }).click();
    await page.getByText('Not a matcher: "alertname DiskFull"').waitFor();
    await expect(matchers.getAttribute('aria-invalid')).resolves.toBe('true');

    await matchers.fill('alertname=DiskFull\nhost=~db-.*');
    await page.getByRole('button', { name: 'Silence', exact: true }).click();
    const item = page.locator('li[data-silence][data-state="active"]');
    await item.locator('code').getByText('alertname=DiskFull, host=~db-.*').waitFor();
    await screenshot(page, '11-alerts');
    const [silence] = (
      await api<{ silences: { id: string; matchers: unknown; reason: string }[] }>('/api/v1/silences')
    ).silences;
    expect(silence).toMatchObject({
      matchers: { alertname: 'DiskFull', host: { regex: 'db-.*' } },
      reason: 'disk swap tonight',
    });

    await item.getByRole('button', { name: /Expire/ }).click();
    await page.locator(`li[data-silence="${silence!.id}"][data-state="expired"]`).waitFor();
  });
});
