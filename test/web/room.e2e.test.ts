import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logIn, screenshot, startWebServer, type WebServer } from '../support/browser.ts';

describe('the incident room in Chromium', () => {
  let server: WebServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs an incident from declaration to resolution, and a second tab sees it live', async () => {
    const responder = await (await browser.newContext()).newPage();
    const watcher = await (await browser.newContext()).newPage();
    await logIn(responder, server);
    await screenshot(responder, '1-incidents-empty');

    await responder.getByRole('link', { name: 'Declare' }).click();
    await responder.getByLabel('What is happening').fill('Checkout returns 502');
    // The plan's types and severities, with their definitions beside the choice.
    await responder.getByRole('radio', { name: /Outage or degradation/ }).check();
    await expect(responder.getByRole('radio', { name: /P2 High/ }).isChecked()).resolves.toBe(true);
    await responder.getByText('The product is down or data is at risk for many customers.').waitFor();
    await screenshot(responder, '2-declare');
    await responder.getByRole('button', { name: 'Declare' }).click();
    await responder.getByRole('heading', { name: /INC-1 Checkout returns 502/ }).waitFor();

    // The response clock counts down until acknowledged.
    const response = responder.locator('[data-clock="response"]');
    await expect(response.getAttribute('data-state')).resolves.toBe('pending');
    await response.getByText(/left/).waitFor();

    // The watcher opens the same room in another browser context.
    await logIn(watcher, server);
    await watcher.getByRole('link', { name: 'INC-1' }).click();
    await watcher.getByRole('heading', { name: /INC-1/ }).waitFor();
    await watcher.getByTestId('live-status').getByText('Live').waitFor();

    await responder.getByRole('button', { name: 'Acknowledge' }).click();
    await responder
      .locator('.facts')
      .getByText(/Acknowledged by/)
      .waitFor();
    await expect(response.getAttribute('data-state')).resolves.toBe('met');

    await responder.getByLabel('Holder of Incident commander').selectOption(server.email);
    await responder.getByRole('button', { name: 'Assign Incident commander' }).click();
    await responder.locator('[data-role="ic"] .holder').getByText(server.email).waitFor();

    const rollBack = responder.getByRole('checkbox', { name: 'Roll back the last change' });
    // The box shows what the server recorded, so it turns checked once the API answers.
    await rollBack.click();
    await expect.poll(() => rollBack.isChecked(), { timeout: 10_000 }).toBe(true);

    await responder.getByLabel('Audience').selectOption('internal');
    await responder.getByRole('button', { name: 'Preview' }).click();
    const preview = responder.getByTestId('preview');
    await expect(preview.getByRole('textbox').inputValue()).resolves.toContain(
      'INC-1 [P2] Checkout returns 502',
    );
    await responder.getByRole('button', { name: 'Send update' }).click();
    await responder.getByText('Update sent to internal').waitFor();

    // A manual entry typed in one tab appears in the other without reloading.
    await responder.getByLabel('Add to the timeline').fill('Rolled back deploy 4711');
    await responder.getByRole('button', { name: 'Add entry' }).click();
    await watcher.locator('.vlist').getByText('Rolled back deploy 4711').waitFor();
    await watcher
      .locator('.vlist')
      .getByText(/update/i)
      .first()
      .waitFor();
    await screenshot(responder, '3-room');

    await responder.getByLabel('New status').selectOption('resolved');
    await responder.locator('form.change').first().getByLabel('Reason').fill('Rollback fixed it');
    await responder.getByRole('button', { name: 'Change New status' }).click();
    await responder.locator('.room-header .status').getByText('resolved').waitFor();
    await watcher.locator('.room-header .status').getByText('resolved').waitFor();
    await screenshot(watcher, '4-room-resolved-live');

    // Every step went through the API, so the server's record agrees with the screen.
    const r = await fetch(`${server.url}/api/v1/incidents/INC-1`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const inc = (await r.json()) as {
      status: string;
      roles: { role: string }[];
      tasks: { title: string; done_at: string | null }[];
      updates: unknown[];
    };
    expect(inc.status).toBe('resolved');
    expect(inc.roles.map((x) => x.role)).toContain('ic');
    expect(inc.tasks.find((x) => x.title === 'Roll back the last change')?.done_at).not.toBeNull();
    expect(inc.updates).toHaveLength(1);
  });

  it('shows the field the API rejected, and switches to Bahasa Indonesia and dark', async () => {
    const page = await (await browser.newContext()).newPage();
    await logIn(page, server);
    await page.goto(`${server.url}/#/incidents/INC-1`);
    await page.getByLabel('New severity').selectOption('P1');
    await page.getByRole('button', { name: 'Change New severity' }).click();
    await page.locator('#change-severity-reason-err').getByText('say why the severity changes').waitFor();

    await page.getByLabel('Language').selectOption('id');
    await page.getByRole('heading', { name: 'Tenggat' }).waitFor();
    await page.getByRole('button', { name: /Tema/ }).click();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await page.goto(`${server.url}/#/plan`);
    await page.getByRole('heading', { name: 'Rencana', exact: true }).waitFor();
    await screenshot(page, '5-plan-id-dark');
  });
});
