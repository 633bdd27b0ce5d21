import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatusWorld, statusWorld } from '../../test/support/statuspage.ts';

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
let w: StatusWorld;
let url: string;
let browser: Browser;

beforeAll(async () => {
  w = await statusWorld();
  url = await w.api.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
  await w.api.app.close();
  await w.close();
});

describe('status page in Chromium', () => {
  it('renders with JavaScript off, shows a published update within seconds, in both languages', async () => {
    await w.api.call('POST', '/api/v1/statuspage/pages', { slug: 'acme', name: 'Acme Status' });
    await w.api.call('POST', '/api/v1/statuspage/pages/acme/components', {
      name: 'Checkout',
      service: 'checkout',
    });
    await w.mod.cache().settled();
    const ctx = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
    const page = await ctx.newPage();
    await page.goto(`${url}/status/acme/`);
    expect(await page.locator('.banner').innerText()).toBe('All Systems Operational');
    expect(await page.locator('[data-component] .status').first().innerText()).toBe('Operational');
    expect(await page.locator('.bars span').count()).toBe(90);

    const inc = JSON.parse(
      (
        await w.api.call('POST', '/api/v1/incidents', {
          title: 'Checkout failing',
          type: 'outage',
          severity: 'P1',
          services: ['checkout'],
        })
      ).body,
    );
    await w.api.call('POST', `/api/v1/incidents/${inc.ref}/updates`, {
      audience: 'customers',
      fields: { summary: 'failed card payments', customer_action: 'Please retry in a few minutes.' },
    });
    // A visitor reloading: the update shows as soon as the NOTIFY has rebuilt the page.
    let seen = false;
    for (let i = 0; i < 50 && !seen; i++) {
      await page.reload();
      seen = (await page.locator('#active').count()) > 0;
      if (!seen) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe(true);
    expect(await page.locator('#active').innerText()).toContain('failed card payments');
    expect(await page.locator('.banner').innerText()).toBe('Major System Outage');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'statuspage-outage.png'), fullPage: true });

    await page.click('nav a[hreflang="id"]');
    expect(await page.locator('html').getAttribute('lang')).toBe('id');
    expect(await page.locator('.banner').innerText()).toBe('Gangguan Besar Sistem');

    // The subscribe form works without script: a plain POST and a page back.
    await page.fill('#email', 'reader@example.test');
    await page.click('#subscribe button[type=submit]');
    expect(await page.locator('section p').first().innerText()).toContain('Periksa kotak masuk');
    await ctx.close();
  });
});
