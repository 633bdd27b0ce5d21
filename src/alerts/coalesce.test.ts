import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalesce.ts';

/** A store whose rounds finish when the test says so, recording what each round held. */
function gatedStore(fail?: (items: string[]) => boolean) {
  const rounds: string[][] = [];
  const gates: (() => void)[] = [];
  const c = new Coalescer<string, string>(async (_key, items) => {
    rounds.push(items);
    await new Promise<void>((r) => gates.push(r));
    if (fail?.(items)) throw new Error(`refused ${items.join(',')}`);
    return items.map((x) => `stored ${x}`);
  }, 3);
  const open = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()!();
  };
  return { c, rounds, open };
}

describe('Coalescer', () => {
  it('stores what arrives during a round together in the next, answering each post with its own outcomes', async () => {
    const { c, rounds, open } = gatedStore();
    const a = c.submit('am', ['a1']);
    const b = c.submit('am', ['b1', 'b2']);
    const d = c.submit('am', ['d1']);
    const e = c.submit('am', ['e1', 'e2', 'e3']);
    await open(); // round 1: a alone, b, d and e waited
    await open(); // round 2: b and d (3 items, the cap)
    await open(); // round 3: e
    expect(await a).toEqual(['stored a1']);
    expect(await b).toEqual(['stored b1', 'stored b2']);
    expect(await d).toEqual(['stored d1']);
    expect(await e).toEqual(['stored e1', 'stored e2', 'stored e3']);
    expect(rounds).toEqual([['a1'], ['b1', 'b2', 'd1'], ['e1', 'e2', 'e3']]);
  });

  it('stores a post bigger than a round in pieces, in order, and answers it once all are stored', async () => {
    const { c, rounds, open } = gatedStore();
    let answered = false;
    const big = c.submit('am', ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']).then((out) => {
      answered = true;
      return out;
    });
    const after = c.submit('am', ['q1']);
    await open(); // p1-p3
    await open(); // p4-p6
    expect(answered).toBe(false);
    await open(); // p7, with q1 that arrived behind it
    expect(await big).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'].map((x) => `stored ${x}`));
    expect(await after).toEqual(['stored q1']);
    expect(rounds).toEqual([
      ['p1', 'p2', 'p3'],
      ['p4', 'p5', 'p6'],
      ['p7', 'q1'],
    ]);
  });

  it('counts the items of a key in its round in flight and waiting behind it', async () => {
    const { c, rounds, open } = gatedStore();
    expect(c.load('am')).toBe(0);
    const a = c.submit('am', ['a1', 'a2']);
    const b = c.submit('am', ['b1']);
    expect(c.load('am')).toBe(3);
    expect(c.load('other')).toBe(0);
    await open();
    await a;
    while (rounds.length < 2) await new Promise((r) => setImmediate(r));
    expect(c.load('am')).toBe(1);
    await open();
    await b;
    while (c.busy('am')) await new Promise((r) => setImmediate(r));
    expect(c.load('am')).toBe(0);
  });

  it('keeps senders apart: another key runs its own rounds at once', async () => {
    const { c, rounds, open } = gatedStore();
    const a = c.submit('am', ['a1']);
    const p = c.submit('pd', ['p1']);
    await open();
    await open();
    expect([await a, await p]).toEqual([['stored a1'], ['stored p1']]);
    expect(rounds).toEqual([['a1'], ['p1']]);
  });

  it('when a merged round fails, tries each post alone so only the bad one is refused', async () => {
    const { c, rounds, open } = gatedStore((items) => items.includes('bad'));
    const first = c.submit('am', ['x']);
    const good = c.submit('am', ['g1']);
    const bad = c.submit('am', ['bad']);
    const outcome = Promise.allSettled([first, good, bad]);
    for (let i = 0; i < 4; i++) await open();
    const [f, g, b] = await outcome;
    expect(f).toEqual({ status: 'fulfilled', value: ['stored x'] });
    expect(g).toEqual({ status: 'fulfilled', value: ['stored g1'] });
    expect(b).toMatchObject({ status: 'rejected', reason: new Error('refused bad') });
    expect(rounds).toEqual([['x'], ['g1', 'bad'], ['g1'], ['bad']]);
  });

  it('says whether posts wait behind the round in flight, not counting the round itself', async () => {
    const { c, open } = gatedStore();
    expect(c.waiting('am')).toBe(false);
    const a = c.submit('am', ['a1']);
    expect(c.waiting('am')).toBe(false);
    const b = c.submit('am', ['b1']);
    expect(c.waiting('am')).toBe(true);
    expect(c.waiting('other')).toBe(false);
    await open();
    await a;
    await open(); // b's round, once it is in flight
    expect(c.waiting('am')).toBe(false);
    await b;
    expect(c.waiting('am')).toBe(false);
  });

  it('says whether a key has a round in flight or waiting', async () => {
    const { c, open } = gatedStore();
    expect(c.busy('am')).toBe(false);
    const a = c.submit('am', ['a1']);
    expect(c.busy('am')).toBe(true);
    expect(c.busy('other')).toBe(false);
    await open();
    await a;
    // The queue is let go once the round's posts have their answers.
    await new Promise((r) => setImmediate(r));
    expect(c.busy('am')).toBe(false);
  });
});
