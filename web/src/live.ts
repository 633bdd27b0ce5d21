import { useEffect, useRef } from 'react';
import { createStore } from './store.ts';

/** What the server's stream sends: the verbs' LiveEvents, plus `resync` when events were lost. */
export type LiveEvent = { type: string; incidentId?: string; id?: string };
export type LiveStatus = 'connecting' | 'live' | 'offline';

export const liveStatus = createStore<LiveStatus>('connecting');
const listeners = new Set<(e: LiveEvent) => void>();
let source: EventSource | null = null;
let lastId: string | null = null;
let retry: ReturnType<typeof setTimeout> | null = null;

function dispatch(e: LiveEvent): void {
  for (const l of [...listeners]) l(e);
}

/**
 * One EventSource per tab on /api/v1/events. The browser reconnects by itself with
 * Last-Event-ID; when the server ends the stream for good (401, restart) we open a new one and
 * pass the last id in the query, so the server replays what we missed or tells us to resync.
 */
export function connectLive(): void {
  if (source) return;
  liveStatus.set('connecting');
  const url = lastId ? `/api/v1/events?last_event_id=${encodeURIComponent(lastId)}` : '/api/v1/events';
  const es = new EventSource(url, { withCredentials: true });
  source = es;
  es.onopen = () => liveStatus.set('live');
  const remember = (m: MessageEvent) => {
    if (m.lastEventId) lastId = m.lastEventId;
  };
  es.addEventListener('ready', remember);
  es.addEventListener('live', (m) => {
    remember(m);
    try {
      dispatch(JSON.parse(m.data) as LiveEvent);
    } catch {}
  });
  es.addEventListener('resync', (m) => {
    remember(m);
    dispatch({ type: 'resync' });
  });
  es.onerror = () => {
    liveStatus.set(es.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    if (es.readyState === EventSource.CLOSED) {
      source = null;
      retry ??= setTimeout(() => {
        retry = null;
        connectLive();
      }, 3000);
    }
  };
}

export function disconnectLive(): void {
  source?.close();
  source = null;
  if (retry) clearTimeout(retry);
  retry = null;
  lastId = null;
}

/**
 * Calls `onEvent` for live events that `match`, coalesced over `debounceMs` so a burst of
 * changes costs one refetch. A resync always matches: something may have been missed.
 */
export function useLive(match: (e: LiveEvent) => boolean, onEvent: () => void, debounceMs = 150): void {
  const ref = useRef({ match, onEvent });
  ref.current = { match, onEvent };
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | null = null;
    const l = (e: LiveEvent) => {
      if (e.type !== 'resync' && !ref.current.match(e)) return;
      if (t) return;
      t = setTimeout(() => {
        t = null;
        ref.current.onEvent();
      }, debounceMs);
    };
    listeners.add(l);
    return () => {
      listeners.delete(l);
      if (t) clearTimeout(t);
    };
  }, [debounceMs]);
}
