import { describe, expect, it } from 'vitest';
import { atPriority, MAX_OVERTAKEN_MS, type Priority, priorityNow, Turns } from './turns.ts';

/** Queues one waiter per priority behind a held turn; returns the order they were served in. */
async function served(turns: Turns, queue: Priority[], before?: () => void) {
  const order: string[] = [];
  const release = await turns.acquire();
  const all = queue.map((p, i) =>
    turns.run(async () => {
      order.push(`${p}#${i}`);
    }, p),
  );
  before?.();
  release();
  await Promise.all(all);
  return order;
}

describe('turns at the one connection', () => {
  it('serves the urgent first, then the normal, then the background; each in arrival order', async () => {
    const order = await served(new Turns(() => 0), [
      'background',
      'normal',
      'urgent',
      'background',
      'urgent',
    ]);
    expect(order).toEqual(['urgent#2', 'urgent#4', 'normal#1', 'background#0', 'background#3']);
  });

  it('lets a waiter overtaken for too long go before anything more urgent', async () => {
    let wall = 0;
    const turns = new Turns(() => wall);
    const order = await served(turns, ['background', 'urgent', 'urgent'], () => {
      wall = MAX_OVERTAKEN_MS;
    });
    expect(order[0]).toBe('background#0');
  });

  it('holds one caller at a time, and is free again once the last lets go', async () => {
    const turns = new Turns();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        turns.run(
          async () => {
            inside++;
            most = Math.max(most, inside);
            await new Promise((r) => setImmediate(r));
            inside--;
          },
          i % 2 ? 'urgent' : 'background',
        ),
      ),
    );
    expect(most).toBe(1);
    expect(turns.queued).toBe(0);
    const release = await turns.acquire();
    release();
    release(); // a second release changes nothing
    expect(turns.queued).toBe(0);
  });

  it('releases the turn when the work fails', async () => {
    const turns = new Turns();
    await expect(turns.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(turns.run(async () => 'next')).resolves.toBe('next');
  });

  it('takes the priority of the work it runs in', async () => {
    expect(priorityNow()).toBe('normal');
    await atPriority('urgent', async () => {
      await new Promise((r) => setImmediate(r));
      expect(priorityNow()).toBe('urgent');
    });
  });
});
