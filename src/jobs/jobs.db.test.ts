import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScenario, type Scenario } from '../../test/support/scenario.ts';
import { runVerb } from '../kernel/verb.ts';
import type { SiagaModule } from '../server/modules.ts';

let s: Scenario;
const ran: { data: Record<string, unknown>; at: number }[] = [];

const probe: SiagaModule = {
  name: 'probe',
  jobs(jobs) {
    jobs.define({
      name: 'probe',
      pollingIntervalSeconds: 0.5,
      handler: async (env, data) => {
        ran.push({ data, at: env.clock.now().getTime() });
      },
    });
  },
};

beforeEach(async () => {
  ran.length = 0;
  s = await createScenario({ modules: [probe] });
});
afterEach(() => s.close());

describe('durable jobs', () => {
  it('are enqueued in the verb’s transaction: a rolled-back change leaves no job', async () => {
    await expect(
      runVerb(s.env, s.admin.scope, async (ctx) => {
        ctx.enqueue({ name: 'probe', data: { n: 1 } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await runVerb(s.env, s.admin.scope, async (ctx) => ctx.enqueue({ name: 'probe', data: { n: 2 } }));
    await s.clock.pass(5000);
    expect(ran.map((r) => r.data)).toEqual([{ n: 2 }]);
  });

  it('run when their time comes on the scenario clock, not before', async () => {
    const start = s.clock.now().getTime();
    await runVerb(s.env, s.admin.scope, async (ctx) =>
      ctx.enqueue({ name: 'probe', data: { step: 'team lead' }, startAfter: new Date(start + 15 * 60_000) }),
    );
    await s.clock.passMinutes(14);
    expect(ran).toEqual([]);
    await s.clock.passMinutes(2);
    expect(ran.map((r) => r.data)).toEqual([{ step: 'team lead' }]);
    // Picked up by the next poll after it came due: within a poll interval of the due time.
    expect(ran[0]!.at - (start + 15 * 60_000)).toBeLessThanOrEqual(1000);
  });

  it('refuse a job nobody defined, failing the verb', async () => {
    await expect(
      runVerb(s.env, s.admin.scope, async (ctx) => ctx.enqueue({ name: 'nope', data: {} })),
    ).rejects.toThrow('no job named nope');
  });

  it('ride in the verb’s own statement as pg-boss’s insert, one per job name', async () => {
    // Were pg-boss to change its insert's shape, the jobs would still be sent, one statement
    // each; this says when that quiet fallback has started.
    const parts = await s.env.database.db.transaction((tx) =>
      s.env.jobs!.writes(tx, [
        { name: 'probe', data: { n: 1 } },
        { name: 'probe', data: { n: 2 } },
      ]),
    );
    expect(parts).toHaveLength(1);
  });
});
