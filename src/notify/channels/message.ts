import type { Clock } from '../../shared/clock.ts';
import type { ContactKind } from '../tables.ts';

/** A link the recipient can follow from the message itself (acknowledge, resolve, open). */
export type MessageAction = { label: string; url: string };

/** One message as every channel renders it: the same facts, each in its service's format. */
export type Message = {
  subject: string;
  text: string;
  kind: string;
  drill: boolean;
  priority: 'urgent' | 'high' | 'default';
  url?: string;
  actions: MessageAction[];
  /** Stable across retries: receivers that deduplicate (webhooks, Message-ID) can use it. */
  idempotencyKey: string;
};

export type Destination = { kind: ContactKind; address: string; secret: string | null };

/** What one attempt achieved; retryable failures are tried again with backoff. */
export type SendResult =
  | { ok: true; status?: number }
  | { ok: false; status?: number; error: string; retryable: boolean };

export type ChannelSettings = {
  smtp: { url: string; from: string } | null;
  telegram: { api: string; token: string | null };
  timeoutMs: number;
  /** Signed webhooks carry the sending instant. */
  clock: Clock;
};

export interface Transport {
  send(message: Message, to: Destination, settings: ChannelSettings): Promise<SendResult>;
}

/** "[DRILL] " in front of every drill message, so nobody mistakes an exercise for the real thing. */
export function titleOf(m: Message): string {
  return m.drill && !m.subject.startsWith('[DRILL]') ? `[DRILL] ${m.subject}` : m.subject;
}
