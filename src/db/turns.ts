import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How soon a piece of work needs the embedded database's one connection:
 * - `urgent`: what a person is waiting on at 3 a.m. (a new alert opening its incident, a page);
 * - `normal`: everything not marked (the API, the web app, jobs);
 * - `background`: work that is only late, never wrong, when it waits (an alert storm's bulk
 *   rounds, the write-behind of repeats).
 */
export type Priority = 'urgent' | 'normal' | 'background';

const RANK: Record<Priority, number> = { urgent: 0, normal: 1, background: 2 };

const current = new AsyncLocalStorage<Priority>();

/** Runs `fn` with its database work at `priority` (on PostgreSQL, where each has its own connection, it changes nothing). */
export function atPriority<T>(priority: Priority, fn: () => T): T {
  return current.run(priority, fn);
}

export const priorityNow = (): Priority => current.getStore() ?? 'normal';

/**
 * Past this wait a waiter goes before anything more urgent that came after it: a storm's rounds
 * must keep moving, or its senders time out and retry, which only adds to the storm.
 */
export const MAX_OVERTAKEN_MS = 1000;

type Waiter = { rank: number; since: number; go: () => void };

/**
 * One holder at a time, the next chosen by priority, then arrival; a waiter overtaken for
 * longer than MAX_OVERTAKEN_MS goes next regardless. PGlite serves one transaction at a time,
 * first come first served: a new alert's round waited for every bulk round, escalation batch and
 * sweep queued before it. With this in front, it waits at most for the one in flight.
 */
export class Turns {
  private held = false;
  private readonly waiting: Waiter[] = [];
  private readonly wall: () => number;

  constructor(wall: () => number = () => performance.now()) {
    this.wall = wall;
  }

  /** Resolves with a release function once it is this caller's turn. */
  acquire(priority: Priority = priorityNow()): Promise<() => void> {
    if (!this.held && this.waiting.length === 0) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      this.waiting.push({ rank: RANK[priority], since: this.wall(), go: () => resolve(this.releaser()) });
    });
  }

  /** Runs `fn` in a turn of its own. */
  async run<T>(fn: () => Promise<T>, priority?: Priority): Promise<T> {
    const release = await this.acquire(priority);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  get queued(): number {
    return this.waiting.length;
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.next();
      if (next) next.go();
      else this.held = false;
    };
  }

  private next(): Waiter | undefined {
    if (this.waiting.length === 0) return undefined;
    // `waiting` is in arrival order, so its head is the one overtaken longest.
    const oldest = this.waiting[0]!;
    let pick = 0;
    if (this.wall() - oldest.since < MAX_OVERTAKEN_MS) {
      for (let i = 1; i < this.waiting.length; i++)
        if (this.waiting[i]!.rank < this.waiting[pick]!.rank) pick = i;
    }
    return this.waiting.splice(pick, 1)[0];
  }
}
