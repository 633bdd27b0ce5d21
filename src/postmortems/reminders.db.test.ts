import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPlan } from '../../test/support/incidents.ts';
import { createScenario, type Scenario } from '../../test/support/scenario.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import type { Notice } from '../kernel/ports.ts';
import { runVerb } from '../kernel/verb.ts';
import { applyPlan } from '../plans/store.ts';
import type { SiagaModule } from '../server/modules.ts';
import { addActionItem, updateActionItem } from './action-items.ts';
import { postmortemsModule } from './module.ts';

/** Stands in for the notify module: records what would be delivered, in the caller's transaction. */
function recordingNotifier(sent: Notice[]): SiagaModule {
  return {
    name: 'recording-notifier',
    provide(env) {
      env.notifier = { notify: async (_ctx, n) => void sent.push(n) };
    },
  };
}

let s: Scenario;
let sent: Notice[];

beforeEach(async () => {
  sent = [];
  // 09:00 UTC is 16:00 in Jakarta, the plan's zone.
  s = await createScenario({
    modules: [postmortemsModule(), recordingNotifier(sent)],
    start: '2026-03-02T09:00:00Z',
  });
  await runVerb(s.env, s.admin.scope, (ctx) => applyPlan(ctx, { source: readPlan('rekberkan.yaml') }));
});
afterEach(() => s.close());

/** Jumps most of the way (nothing fires), then lets the last minute pass so due jobs run. */
async function later(minutes: number) {
  await s.clock.boss.setTime(s.clock.now().getTime() + (minutes - 1) * 60_000);
  await s.clock.pass(60_000);
}

const as = <T>(fn: Parameters<typeof runVerb<T>>[2]) => runVerb(s.env, s.admin.scope, fn);

describe('overdue action items', () => {
  it('remind their owner once the due day has passed in the plan’s time zone, once', async () => {
    const owner = await s.addMember({ email: 'dev@rekberkan.test' });
    await as((ctx) => declareIncident(ctx, { title: 'Ledger mismatch', type: 'financial', severity: 'S1' }));
    await as((ctx) =>
      addActionItem(ctx, 'INC-1', {
        title: 'Idempotent webhooks',
        owner: owner.email,
        priority: 'P0',
        due_on: '2026-03-02',
      }),
    );
    // Due 2026-03-02 in Jakarta ends at 17:00 UTC: eight hours from now.
    await later(7 * 60);
    expect(sent).toEqual([]);
    await later(70);
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toMatchObject({
      kind: 'action_item.overdue',
      to: [{ user: owner.id }],
      subject: '[INC-1] Action item overdue: Idempotent webhooks',
    });
    await later(60);
    expect(sent).toHaveLength(1);
  });

  it('a rescheduled item is reminded at its new date only; a finished one never', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'Ledger mismatch', type: 'financial', severity: 'S1' }));
    const a = await as((ctx) =>
      addActionItem(ctx, 'INC-1', { title: 'Moved', priority: 'P1', due_on: '2026-03-02' }),
    );
    const b = await as((ctx) =>
      addActionItem(ctx, 'INC-1', { title: 'Finished', priority: 'P1', due_on: '2026-03-02' }),
    );
    await as((ctx) => updateActionItem(ctx, a.id, { due_on: '2026-03-03' }));
    await as((ctx) => updateActionItem(ctx, b.id, { status: 'done' }));
    await later(9 * 60);
    expect(sent).toEqual([]);
    await later(24 * 60);
    await expect.poll(() => sent.map((n) => n.subject)).toEqual(['[INC-1] Action item overdue: Moved']);
    // No owner: the incident commander's role is told.
    expect(sent[0]!.to).toEqual([{ role: 'ic', incidentId: expect.any(String) }]);
  });
});
