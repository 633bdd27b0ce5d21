import { useSyncExternalStore } from 'react';

/**
 * Routing in the URL fragment (#/incidents/INC-7): the server serves one index.html at `/` and
 * never has to know the app's paths, so /api and /status stay the server's alone.
 */
export type Location = { path: string; query: URLSearchParams };

function read(): string {
  return location.hash.replace(/^#/, '') || '/incidents';
}

const subscribe = (fn: () => void) => {
  window.addEventListener('hashchange', fn);
  return () => window.removeEventListener('hashchange', fn);
};

export function useLocation(): Location {
  const raw = useSyncExternalStore(subscribe, read, read);
  const [path, q = ''] = raw.split('?');
  return { path: path || '/incidents', query: new URLSearchParams(q) };
}

export function navigate(path: string): void {
  location.hash = path;
}

export function href(path: string): string {
  return `#${path}`;
}

/** Matches "/incidents/:ref" against a path; returns the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) params[p[i]!.slice(1)] = decodeURIComponent(s[i]!);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}
