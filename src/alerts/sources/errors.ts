/** A payload that does not say what an alert needs; names the field so the sender can fix it. */
export class PayloadError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

export function obj(value: unknown, field: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new PayloadError(field || '(body)', 'expected a JSON object');
  return value as Record<string, unknown>;
}

export function arr(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new PayloadError(field, 'expected an array');
  return value;
}

export function str(value: unknown, field: string, opts: { optional?: boolean; max?: number } = {}): string {
  if (value === undefined || value === null) {
    if (opts.optional) return '';
    throw new PayloadError(field, 'is required');
  }
  if (typeof value !== 'string') throw new PayloadError(field, 'expected a string');
  if (value.length > (opts.max ?? 1024))
    throw new PayloadError(field, `longer than ${opts.max ?? 1024} characters`);
  return value;
}

/** RFC 3339 instants; Go's zero time (0001-01-01) means "not set", as Alertmanager sends it. */
export function instant(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new PayloadError(field, 'expected an RFC 3339 date-time');
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new PayloadError(field, 'expected an RFC 3339 date-time');
  if (d.getUTCFullYear() <= 1) return undefined;
  return d;
}

export function labelSet(
  value: unknown,
  field: string,
  opts: { required?: boolean } = {},
): Record<string, string> {
  if (value === undefined || value === null) {
    if (opts.required) throw new PayloadError(field, 'is required');
    return {};
  }
  const o = obj(value, field);
  // Checked in place, not copied: parsed JSON has only own data properties, and every alert of
  // a storm passes through here twice.
  for (const k in o) {
    if (typeof o[k] !== 'string') throw new PayloadError(`${field}.${k}`, 'expected a string');
  }
  return o as Record<string, string>;
}
