import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../kernel/env.ts';
import { Hooks } from '../kernel/hooks.ts';
import { runVerb } from '../kernel/verb.ts';
import { IntakeCache } from './intake-cache.ts';
import { rotateIntegration } from './integrations.ts';
import { createSilence } from './silences.ts';
import { type AlertWorld, alertWorld } from './test/setup.ts';

let w: AlertWorld;
beforeEach(async () => {
  w = await alertWorld({ start: '2026-01-05T09:00:00Z' });
});
afterEach(() => w.close());

const body = [{ labels: { alertname: 'DiskFull', severity: 'critical' } }];
const post = (secret: string) => w.call('POST', `/intake/alertmanager/${secret}/api/v2/alerts`, body);

/** The same database seen by another Siaga process: its commits reach this one only by NOTIFY. */
const elsewhere = (): Env => ({ ...w.env, hooks: new Hooks() });

const silenceElsewhere = () =>
  runVerb(elsewhere(), w.admin.scope, (ctx) =>
    createSilence(ctx, {
      kind: 'silence',
      matchers: { alertname: 'DiskFull' },
      ends_at: new Date('2026-01-05T12:00:00Z'),
      reason: 'resizing the volume',
    }),
  );

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never: ${what}`);
}

describe('the intake holds integrations between posts, and changes reach it at once', () => {
  it('a rotated secret is refused on the next post in this process, the new one taken', async () => {
    const { secret } = await w.integration('alertmanager', 'prom');
    expect((await post(secret)).statusCode).toBe(200);
    const r = await w.call('POST', '/api/v1/integrations/prom/rotate');
    expect(r.statusCode).toBe(200);
    expect((await post(secret)).statusCode).toBe(404);
    expect((await post(r.json().secret)).statusCode).toBe(200);
  });

  it('a disabled integration is refused on the next post, and taken again once enabled', async () => {
    const { secret } = await w.integration('alertmanager', 'prom');
    expect((await post(secret)).statusCode).toBe(200);
    expect((await w.call('POST', '/api/v1/integrations/prom/disable')).statusCode).toBe(200);
    expect((await post(secret)).statusCode).toBe(404);
    expect((await w.call('POST', '/api/v1/integrations/prom/enable')).statusCode).toBe(200);
    expect((await post(secret)).statusCode).toBe(200);
  });

  it('an unknown secret is asked of the database each time: one created a moment ago is found', async () => {
    const cache = new IntakeCache(w.env);
    const secret = 'ab'.repeat(16);
    expect(await cache.integration(secret, 0)).toBeNull();
    const { secret: made } = await w.integration('alertmanager', 'fresh');
    expect((await cache.integration(made, 1))?.name).toBe('fresh');
  });
});

describe('changes made by another process', () => {
  // Trusted for an hour: only the NOTIFY can make the cache let go within the test.
  const HOUR = 3_600_000;
  let cache: IntakeCache;
  beforeEach(async () => {
    cache = new IntakeCache(w.env, HOUR);
    await cache.start();
  });
  afterEach(() => cache.stop());

  it('reach the cache by NOTIFY: a secret rotated elsewhere stops being taken here', async () => {
    const { secret } = await w.integration('alertmanager', 'prom');
    expect((await cache.integration(secret, 0))?.name).toBe('prom');
    await runVerb(elsewhere(), w.admin.scope, (ctx) => rotateIntegration(ctx, 'prom'));
    await until(async () => (await cache.integration(secret, 1)) === null, 'the old secret refused');
  });

  it('reach the cache by NOTIFY: a silence created elsewhere is among the live ones here', async () => {
    const now = w.clock.now();
    expect(await cache.liveSilences(w.admin.scope.workspaceId, now, 0)).toEqual([]);
    await silenceElsewhere();
    await until(
      async () => (await cache.liveSilences(w.admin.scope.workspaceId, now, 1)).length === 1,
      'the silence seen',
    );
  });

  it('without a word from the database, an entry is trusted for its time, then refreshed by one read', async () => {
    const short = new IntakeCache(w.env, 1000);
    const { secret } = await w.integration('alertmanager', 'prom');
    expect((await short.integration(secret, 0))?.name).toBe('prom');
    // Not started: no NOTIFY reaches it, and other processes' hooks are not its own.
    await runVerb(elsewhere(), w.admin.scope, (ctx) => rotateIntegration(ctx, 'prom'));
    expect((await short.integration(secret, 500))?.name).toBe('prom');
    // Past its trust the post is still answered from it, while a read behind it finds the rotation.
    expect((await short.integration(secret, 1500))?.name).toBe('prom');
    await until(async () => (await short.integration(secret, 1600)) === null, 'the old secret refused');
  });

  it('silences past their trust are refreshed the same way: a silence made elsewhere is seen', async () => {
    const short = new IntakeCache(w.env, 1000);
    const ws = w.admin.scope.workspaceId;
    const now = w.clock.now();
    expect(await short.liveSilences(ws, now, 0)).toEqual([]);
    await silenceElsewhere();
    expect(short.heldSilences(ws, 500)).toEqual([]);
    await until(async () => (await short.liveSilences(ws, now, 1500)).length === 1, 'the silence seen');
  });
});
