import type { IncomingHttpHeaders } from 'node:http';
import { newId } from '../shared/ids.ts';

const REQUEST_ID = /^[\w.-]{1,64}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** The caller's `x-request-id` when it is a sane one, else a new id: every answer carries one. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId();
}

/**
 * The W3C trace context a traced caller sent, as log fields, so OpenTelemetry-aware log
 * pipelines can join Siaga's lines to the rest of the trace.
 */
export function traceOf(headers: IncomingHttpHeaders): { trace_id: string; span_id: string } | undefined {
  const m = TRACEPARENT.exec(String(headers.traceparent ?? ''));
  return m ? { trace_id: m[1]!, span_id: m[2]! } : undefined;
}
