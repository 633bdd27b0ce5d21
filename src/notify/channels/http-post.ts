import type { SendResult } from './message.ts';

/**
 * POSTs one request and classifies the answer: 2xx is sent; 408, 429 and 5xx and network errors
 * are worth retrying; other 4xx mean the request itself is wrong and retrying cannot help.
 */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return { ok: false, error: e.cause?.message ?? e.message, retryable: true };
  }
  const text = await res.text().catch(() => '');
  if (res.ok) return { ok: true, status: res.status };
  const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
  return { ok: false, status: res.status, error: `HTTP ${res.status}: ${text.slice(0, 200)}`, retryable };
}

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
