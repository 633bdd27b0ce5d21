import { useCallback, useEffect, useRef, useState } from 'react';

export type Resource<T> = {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
  set: (v: T) => void;
};

/**
 * Loads `load()` when `key` changes and on reload(); a slower, older answer never overwrites a
 * newer one, which matters when live events trigger reloads in quick succession.
 */
export function useResource<T>(load: () => Promise<T>, key: string): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const seq = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const run = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    loader.current().then(
      (data) => {
        if (mine === seq.current) setState({ data, loading: false });
      },
      (error: Error) => {
        if (mine === seq.current) setState((s) => ({ ...s, error, loading: false }));
      },
    );
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload exactly when the key changes
  useEffect(run, [key]);
  const set = useCallback((data: T) => {
    seq.current++;
    setState({ data, loading: false });
  }, []);
  return { data: state.data, error: state.error, loading: state.loading, reload: run, set };
}
