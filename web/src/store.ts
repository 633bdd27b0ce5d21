import { useSyncExternalStore } from 'react';

/** A value many components read and any may set; React re-renders the readers on change. */
export type Store<T> = { get(): T; set(next: T): void; subscribe(fn: () => void): () => void };

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const l of [...listeners]) l();
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

export function useStore<T>(store: Store<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

/** A store kept in localStorage, for settings that outlive the tab (language, theme). */
export function persisted<T extends string>(key: string, allowed: readonly T[], fallback: T): Store<T> {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(key);
  } catch {}
  const store = createStore<T>(allowed.includes(saved as T) ? (saved as T) : fallback);
  store.subscribe(() => {
    try {
      localStorage.setItem(key, store.get());
    } catch {}
  });
  return store;
}

/** One ticking clock for every countdown on the page, so they stay in step and cost one timer. */
const now = createStore(Date.now());
let ticking = false;
export function useNow(): number {
  return useSyncExternalStore(
    (fn) => {
      const off = now.subscribe(fn);
      if (!ticking) {
        ticking = true;
        setInterval(() => now.set(Date.now()), 1000);
      }
      return () => {
        off();
      };
    },
    now.get,
    now.get,
  );
}
