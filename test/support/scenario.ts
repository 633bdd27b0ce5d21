import { TestClock } from 'pg-boss';
import pino from 'pino';
import type { Database } from '../../src/db/client.ts';
import type { SiagaModule } from '../../src/server/modules.ts';
import { createRuntime, type Runtime } from '../../src/server/runtime.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { createTestDatabase } from './db.ts';
import { type TestWorld, worldIn } from './env.ts';

/**
 * One clock for the domain and for pg-boss: moving it fires due jobs, and PostgreSQL's idea of
 * "now" inside pg-boss moves with it. Scenario tests read like the plan: "15 minutes pass".
 */
export class ScenarioClock implements Clock {
  readonly boss: TestClock;
  constructor(start: Date | string = '2026-01-05T09:00:00.000Z') {
    this.boss = new TestClock(new Date(start));
  }
  now(): Date {
    return new Date(this.boss.now());
  }
  /** Moves time forward, firing every timer (polls, due jobs) at its own due time. */
  async pass(ms: number): Promise<void> {
    await this.boss.tick(ms);
  }
  passMinutes(minutes: number): Promise<void> {
    return this.pass(minutes * 60_000);
  }
}

export type Scenario = Omit<TestWorld, 'clock'> & { runtime: Runtime; clock: ScenarioClock };

/** A world with the job system running on a ScenarioClock and the given modules wired. */
export async function createScenario(
  opts: { modules?: SiagaModule[]; slug?: string; database?: Database; start?: Date | string } = {},
): Promise<Scenario> {
  const database = opts.database ?? (await createTestDatabase());
  const clock = new ScenarioClock(opts.start);
  const runtime = createRuntime(database, {
    clock,
    bossClock: clock.boss,
    log: pino({ level: 'silent' }),
    publicUrl: 'http://siaga.test',
    modules: opts.modules ?? [],
  });
  await runtime.start();
  const world = await worldIn(runtime.env, opts.slug ?? 'acme');
  return {
    ...world,
    clock,
    runtime,
    close: async () => {
      await runtime.stop();
      await database.close();
    },
  };
}
