import type { Database } from '../db/client.ts';
import { LIVE_CHANNEL, type LiveEvent, parseLivePayload } from '../kernel/verb.ts';

/** One live event as the stream sends it: its position in this process's sequence and its workspace. */
export type Numbered = { id: string; seq: number; workspaceId: string; event: LiveEvent };

export type Catchup = { kind: 'events'; events: Numbered[] } | { kind: 'gap' };

type Subscriber = { workspaceId: string; send: (e: Numbered) => void };

/**
 * Fans the verbs' NOTIFY payloads out to this process's SSE clients and keeps the most recent
 * ones, so a client that reconnects with Last-Event-ID gets what it missed. Ids carry an epoch
 * (this process's run): an id from another run or another process cannot be trusted to line up,
 * so the client is told to refetch (a gap) rather than silently losing events.
 */
export class LiveHub {
  readonly epoch: string;
  private seq = 0;
  private readonly buffer: Numbered[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private unlisten: (() => Promise<void>) | null = null;

  private readonly capacity: number;

  constructor(capacity = 2000, epoch = Math.floor(Math.random() * 2 ** 40).toString(36)) {
    this.capacity = capacity;
    this.epoch = epoch;
  }

  async start(database: Database): Promise<void> {
    this.unlisten = await database.listen(LIVE_CHANNEL, (payload) => this.receive(payload));
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
    this.subscribers.clear();
  }

  /** One NOTIFY payload from runVerb: `{ w: workspaceId, e: LiveEvent[] }`. */
  receive(payload: string): void {
    const parsed = parseLivePayload(payload);
    if (!parsed) return;
    for (const event of parsed.events) {
      const seq = ++this.seq;
      const n: Numbered = { id: `${this.epoch}.${seq}`, seq, workspaceId: parsed.workspaceId, event };
      this.buffer.push(n);
      if (this.buffer.length > this.capacity) this.buffer.shift();
      for (const s of this.subscribers) if (s.workspaceId === n.workspaceId) s.send(n);
    }
  }

  /** Current position, so a fresh client can resume from here. */
  get lastId(): string {
    return `${this.epoch}.${this.seq}`;
  }

  /** What a client that last saw `lastEventId` has missed in its workspace. */
  since(lastEventId: string, workspaceId: string): Catchup {
    const m = /^([0-9a-z]+)\.(\d+)$/.exec(lastEventId);
    if (!m || m[1] !== this.epoch) return { kind: 'gap' };
    const after = Number(m[2]);
    if (after > this.seq) return { kind: 'gap' };
    const oldest = this.buffer[0]?.seq ?? this.seq + 1;
    // Everything after `after` must still be held; otherwise some were dropped.
    if (after + 1 < oldest) return { kind: 'gap' };
    return {
      kind: 'events',
      events: this.buffer.filter((n) => n.seq > after && n.workspaceId === workspaceId),
    };
  }

  subscribe(workspaceId: string, send: (e: Numbered) => void): () => void {
    const s: Subscriber = { workspaceId, send };
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  get clients(): number {
    return this.subscribers.size;
  }
}
