/**
 * The rows of a raw `execute`: node-postgres answers with a result object holding `rows`, the
 * embedded driver's Drizzle adapter with the rows themselves.
 */
export function resultRows<T>(res: unknown): T[] {
  if (Array.isArray(res)) return res as T[];
  return ((res as { rows?: T[] }).rows ?? []) as T[];
}
