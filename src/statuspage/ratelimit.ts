/**
 * Fixed-window counters in memory: enough to stop one client flooding the subscription form
 * (each request costs a write and a mail). Per process; several processes each allow the limit.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly limit: number;
  private readonly windowMs: number;
  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }
  /** Counts a hit; answers the seconds to wait when over the limit, or 0. */
  hit(key: string, nowMs: number): number {
    if (this.windows.size > 10_000) {
      for (const [k, w] of this.windows) if (nowMs - w.start >= this.windowMs) this.windows.delete(k);
    }
    let w = this.windows.get(key);
    if (!w || nowMs - w.start >= this.windowMs) {
      w = { start: nowMs, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count > this.limit ? Math.ceil((w.start + this.windowMs - nowMs) / 1000) : 0;
  }
}
