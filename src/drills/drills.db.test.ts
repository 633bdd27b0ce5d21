import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { type Api, apiFor } from '../../test/support/http.ts';
import { readPlan, withPlan } from '../../test/support/incidents.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import type { Notice } from '../kernel/ports.ts';
import { runVerb } from '../kernel/verb.ts';
import { remindDueDrills } from './cadence.ts';
import { drillsModule } from './module.ts';

let w: TestWorld;
let api: Api;
let sent: Notice[];

beforeEach(async () => {
  w = await createWorld();
  w.clock.set(new Date('2026-03-02T02:00:00.000Z'));
  sent = [];
  w.env.notifier = { notify: async (_ctx, n) => void sent.push(n) };
  await withPlan(w, readPlan('rekberkan.yaml'));
  api = await apiFor(w, { plugins: [(app, env) => drillsModule().routes!(app, env)] });
});
afterEach(() => w.close());

describe("the plan's drill cadence (seed 001: tabletop quarterly, fire drill twice a year)", () => {
  it('records last and next drill, and reminds admins once when one comes due', async () => {
    const before = (await api.call('GET', '/api/v1/drills')).json().drills;
    expect(
      before.map((d: { key: string; overdue: boolean; next_due: null }) => [d.key, d.overdue, d.next_due]),
    ).toEqual([
      ['tabletop', true, null],
      ['fire_drill', true, null],
    ]);
    const held = await api.call('POST', '/api/v1/drills/tabletop/held', { held_at: '2026-03-01T03:00:00Z' });
    expect(held.statusCode, held.body).toBe(201);
    expect(held.json().drills[0]).toMatchObject({
      last_held: '2026-03-01T03:00:00.000Z',
      next_due: '2026-06-01T03:00:00.000Z',
      overdue: false,
    });

    expect(await remindDueDrills(w.env)).toBe(1);
    expect(await remindDueDrills(w.env)).toBe(0);
    expect(sent.map((n) => [n.kind, n.subject, n.to])).toEqual([
      ['drill.due', 'Drill due: Fire drills', [{ user: w.admin.id }]],
    ]);

    w.clock.set(new Date('2026-06-01T03:00:00.000Z'));
    expect(await remindDueDrills(w.env)).toBe(1);
    expect(sent.at(-1)!.subject).toBe('Drill due: Tabletop exercises');
  });

  it('refuses an unknown drill, a real incident and a future date, naming the field', async () => {
    await runVerb(w.env, w.admin.scope, (ctx) =>
      declareIncident(ctx, { title: 'real', type: 'financial', severity: 'S1' }),
    );
    for (const [url, body, field] of [
      ['/api/v1/drills/fire/held', {}, 'drill'],
      ['/api/v1/drills/fire_drill/held', { incident: 'INC-1' }, 'incident'],
      ['/api/v1/drills/fire_drill/held', { held_at: '2027-01-01T00:00:00Z' }, 'held_at'],
    ] as const) {
      const res = await api.call('POST', url, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe(field);
    }
    expect(
      (await api.call('GET', '/api/v1/drills'))
        .json()
        .drills.every((d: { last_held: null }) => d.last_held === null),
    ).toBe(true);
  });
});
