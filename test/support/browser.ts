import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../src/server/config.ts';
import { type Running, serve } from '../../src/server/serve.ts';

export const ARTIFACTS = join(import.meta.dirname, '../../artifacts/web');

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
}

export type WebServer = {
  running: Running;
  url: string;
  email: string;
  password: string;
  token: string;
  close(): Promise<void>;
};

/**
 * The real server as `npm start` runs it (every default module, the built app, the embedded
 * database in a fresh data directory), on a free port.
 */
export async function startWebServer(): Promise<WebServer> {
  const dir = await mkdtemp(join(tmpdir(), 'siaga-web-'));
  const token = `e2e-${Math.random().toString(36).slice(2)}-token-0123456789`;
  const environment = {
    PORT: '0',
    SIAGA_DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    SIAGA_BOOTSTRAP_TOKEN: token,
    SIAGA_SSE_HEARTBEAT_SECONDS: '5',
  };
  const running = await serve(loadConfig(environment), { print: () => {}, environment });
  return {
    running,
    url: running.url,
    email: running.bootstrap!.email,
    password: running.bootstrap!.password!,
    token,
    close: async () => {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export async function logIn(page: Page, server: WebServer): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('E-mail').fill(server.email);
  await page.getByLabel('Password').fill(server.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Incidents' }).waitFor();
}
