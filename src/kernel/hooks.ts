import type { Ctx, LiveEvent } from './verb.ts';

/**
 * Domain events raised inside a verb's transaction. Subscribers (escalation, status page,
 * post-mortems) run in that same transaction, so their writes commit or roll back with the
 * change that caused them. They are installed per Env by the composition root, not globally,
 * so tests wire only what they exercise.
 */
export type DomainEvent =
  | { type: 'incident.declared'; incidentId: string }
  | { type: 'incident.acknowledged'; incidentId: string }
  | { type: 'incident.status_changed'; incidentId: string; from: string; to: string }
  | { type: 'incident.severity_changed'; incidentId: string; from: string; to: string }
  | { type: 'incident.type_changed'; incidentId: string; from: string; to: string }
  | { type: 'incident.role_assigned'; incidentId: string; role: string; userId: string | null }
  | { type: 'incident.update_posted'; incidentId: string; updateId: string; audience: string }
  | { type: 'incident.phase_entered'; incidentId: string; phase: string }
  | { type: 'incident.obligation_changed'; incidentId: string; obligation: string; action: string };

export type DomainEventType = DomainEvent['type'];
type Handler<T extends DomainEventType> = (
  ctx: Ctx,
  event: Extract<DomainEvent, { type: T }>,
) => Promise<void>;

type Committed = (workspaceId: string, events: LiveEvent[]) => void;

export class Hooks {
  private readonly handlers = new Map<DomainEventType, Handler<DomainEventType>[]>();
  private readonly watchers: Committed[] = [];

  on<T extends DomainEventType>(type: T, handler: Handler<T>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as unknown as Handler<DomainEventType>);
    this.handlers.set(type, list);
  }

  async emit(ctx: Ctx, event: DomainEvent): Promise<void> {
    for (const h of this.handlers.get(event.type) ?? []) await h(ctx, event as never);
  }

  /**
   * Runs after a verb's commit with its live events, in this process and before the verb's
   * caller sees its result. NOTIFY reaches other processes' listeners too, but asynchronously:
   * a cache that must not answer from stale state right after its own process changed it (a
   * rotated secret, a new silence) listens here as well.
   */
  onCommitted(watcher: Committed): void {
    this.watchers.push(watcher);
  }

  committed(workspaceId: string, events: LiveEvent[]): void {
    for (const w of this.watchers) w(workspaceId, events);
  }
}
