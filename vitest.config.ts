import { Socket } from 'node:net';
import { defineConfig } from 'vitest/config';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A quick TCP probe, so a laptop without PostgreSQL still runs the embedded half of the suite. */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.connect(Number(port || 5432), hostname);
  });
}

export default defineConfig(async () => {
  const ci = process.env.CI === 'true';
  const pgUp = await reachable(TEST_DATABASE_URL);
  if (!pgUp && !ci) {
    console.warn(
      `\n[siaga] PostgreSQL at ${TEST_DATABASE_URL} is not reachable: the PostgreSQL half of the suite is skipped.` +
        '\n        Start it or set TEST_DATABASE_URL. Under CI=true it is never skipped.\n',
    );
  }
  const dbTests = ['src/**/*.db.test.ts', 'test/**/*.db.test.ts'];
  const backend = (name: 'pglite' | 'postgres') => ({
    extends: true as const,
    test: {
      name,
      include: dbTests,
      globalSetup: ['test/support/global-setup.ts'],
      env: { SIAGA_TEST_BACKEND: name, TEST_DATABASE_URL },
    },
  });
  return {
    test: {
      testTimeout: 30_000,
      hookTimeout: 60_000,
      pool: 'forks',
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts', 'web/**/*.test.ts'],
            exclude: [...dbTests, '**/*.e2e.test.ts', '**/node_modules/**'],
          },
        },
        backend('pglite'),
        ...(pgUp || ci ? [backend('postgres')] : []),
        {
          extends: true,
          test: {
            name: 'e2e',
            include: ['test/**/*.e2e.test.ts', 'src/**/*.e2e.test.ts'],
            globalSetup: ['test/support/web-build-setup.ts'],
            testTimeout: 120_000,
          },
        },
      ],
    },
  };
});
