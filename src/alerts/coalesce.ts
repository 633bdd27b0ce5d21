/**
 * Posts from one sender that arrive while its previous commit is in flight are stored together
 * in the next one: under a storm, 32 connections each posting one alert cost one transaction's
 * fixed work (plan, silences, audit chain head, commit) per round instead of one per post. One
 * round at a time per sender also applies a sender's posts in the order they arrived. Each post
 * is still answered only after the commit that holds its alerts.
 */
type Job<A, O> = { items: A[]; resolve(out: O[]): void; reject(err: unknown): void };

export class Coalescer<A, O> {
  private readonly queues = new Map<string, Job<A, O>[]>();
  private readonly run: (key: string, items: A[]) => Promise<O[]>;
  private readonly maxItems: number;
  /** Items in each key's round in flight. */
  private readonly flying = new Map<string, number>();

  /** `run` stores the items in one transaction and returns one outcome per item, in order. */
  constructor(run: (key: string, items: A[]) => Promise<O[]>, maxItems = 1000) {
    this.run = run;
    this.maxItems = maxItems;
  }

  /**
   * A post bigger than a round goes in pieces of a round each, one after another, answered
   * together when the last is stored: a round's length is what everything else waits for.
   */
  submit(key: string, items: A[]): Promise<O[]> {
    if (items.length <= this.maxItems) return this.enqueue(key, items);
    const pieces: Promise<O[]>[] = [];
    for (let i = 0; i < items.length; i += this.maxItems)
      pieces.push(this.enqueue(key, items.slice(i, i + this.maxItems)));
    return Promise.all(pieces).then((outs) => outs.flat());
  }

  private enqueue(key: string, items: A[]): Promise<O[]> {
    return new Promise((resolve, reject) => {
      const q = this.queues.get(key);
      if (q) {
        q.push({ items, resolve, reject });
        return;
      }
      this.queues.set(key, [{ items, resolve, reject }]);
      void this.drain(key);
    });
  }

  /** Whether a round of this key is in flight or queued. */
  busy(key: string): boolean {
    return this.queues.has(key);
  }

  /** How many items of this key are in its round in flight and queued behind it. */
  load(key: string): number {
    const q = this.queues.get(key);
    if (!q) return 0;
    let n = this.flying.get(key) ?? 0;
    for (const j of q) n += j.items.length;
    return n;
  }

  /** Whether posts of this key are queued behind its round in flight (not the round itself). */
  waiting(key: string): boolean {
    return (this.queues.get(key)?.length ?? 0) > 0;
  }

  private async drain(key: string): Promise<void> {
    const q = this.queues.get(key)!;
    while (q.length > 0) {
      const take: Job<A, O>[] = [q.shift()!];
      let n = take[0]!.items.length;
      while (q.length > 0 && n + q[0]!.items.length <= this.maxItems) {
        const j = q.shift()!;
        take.push(j);
        n += j.items.length;
      }
      this.flying.set(key, n);
      await this.round(key, take);
    }
    this.flying.delete(key);
    this.queues.delete(key);
  }

  private async round(key: string, take: Job<A, O>[]): Promise<void> {
    try {
      const out = await this.run(
        key,
        take.flatMap((j) => j.items),
      );
      let i = 0;
      for (const j of take) {
        j.resolve(out.slice(i, i + j.items.length));
        i += j.items.length;
      }
    } catch (err) {
      if (take.length === 1) {
        take[0]!.reject(err);
        return;
      }
      // One post's alerts may be what failed: each is tried alone, so the others still land.
      for (const j of take) {
        try {
          j.resolve(await this.run(key, j.items));
        } catch (e) {
          j.reject(e);
        }
      }
    }
  }
}
