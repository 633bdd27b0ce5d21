import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { resultRows } from '../db/result-rows.ts';
import { EVENTS_PER_PAYLOAD, LIVE_CHANNEL, type LiveEvent, runVerb } from './verb.ts';

let w: TestWorld;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(() => w.close());

async function listened(count: number): Promise<{ payloads: number; events: LiveEvent[] }> {
  const got: { w: string; e: LiveEvent[] }[] = [];
  const unlisten = await w.database.listen(LIVE_CHANNEL, (p) => got.push(JSON.parse(p)));
  try {
    await runVerb(w.env, w.admin.scope, async (ctx) => {
      for (let i = 0; i < count; i++)
        ctx.publish({ type: 'incident.changed', incidentId: crypto.randomUUID(), id: String(i) });
    });
    for (let i = 0; i < 100 && got.reduce((n, p) => n + p.e.length, 0) < count; i++)
      await new Promise((r) => setTimeout(r, 20));
  } finally {
    await unlisten();
  }
  expect(got.every((p) => p.w === w.workspaceId)).toBe(true);
  return { payloads: got.length, events: got.flatMap((p) => p.e) };
}

describe('live events of one verb', () => {
  it('all reach the listeners, in order, however many the verb published', async () => {
    const count = EVENTS_PER_PAYLOAD * 3 + 7;
    const r = await listened(count);
    expect(r.payloads).toBe(4);
    expect(r.events.map((e) => e.id)).toEqual(Array.from({ length: count }, (_, i) => String(i)));
  });

  it('fit in one payload when there are few', async () => {
    const r = await listened(3);
    expect(r.payloads).toBe(1);
    expect(r.events).toHaveLength(3);
  });
});

describe('writes a verb holds for later', () => {
  const marks = () => w.database.query<{ note: string }>('SELECT note FROM verb_later ORDER BY note');

  it('commit with the verb, are there for a reader that settles first, and roll back with it', async () => {
    await w.database.exec('CREATE TABLE verb_later (note text PRIMARY KEY)');
    const insert = (note: string) => sql`INSERT INTO verb_later (note) VALUES (${note})`;
    const seen = await runVerb(w.env, w.admin.scope, async (ctx) => {
      ctx.later(insert('a'));
      const before = resultRows(await ctx.tx.execute(sql`SELECT count(*)::int AS n FROM verb_later`))[0];
      await ctx.settle();
      ctx.later(insert('b'));
      const after = resultRows(await ctx.tx.execute(sql`SELECT count(*)::int AS n FROM verb_later`))[0];
      return { before, after };
    });
    expect(seen).toEqual({ before: { n: 0 }, after: { n: 1 } });
    expect(await marks()).toEqual([{ note: 'a' }, { note: 'b' }]);

    await expect(
      runVerb(w.env, w.admin.scope, async (ctx) => {
        ctx.later(insert('c'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await marks()).toEqual([{ note: 'a' }, { note: 'b' }]);
  });
});
