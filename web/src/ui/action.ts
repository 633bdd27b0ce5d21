import { useState } from 'react';
import { ApiError } from '../api.ts';

/** Runs one API call for a form: busy while in flight, the problem+json kept for the fields. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
