import { Socket } from 'node:net';

export const USER_AGENT = 'Siaga-Monitor/0.1 (+https://siaga.dev/monitors)';
const MAX_BODY = 1024 * 1024;

export type ProbeResult = { ok: boolean; latencyMs: number; code: number | null; error: string | null };

/** Milliseconds for latency only: a measurement, not the domain's notion of time. */
const elapsed = (start: number) => Math.round(performance.now() - start);

export async function probeHttp(m: {
  target: string;
  method: string;
  expectedStatus: number | null;
  keyword: string | null;
  timeoutMs: number;
}): Promise<ProbeResult> {
  const start = performance.now();
  try {
    const res = await fetch(m.target, {
      method: m.method,
      headers: { 'user-agent': USER_AGENT, accept: '*/*' },
      signal: AbortSignal.timeout(m.timeoutMs),
      redirect: 'follow',
    });
    const statusOk =
      m.expectedStatus === null ? res.status >= 200 && res.status < 300 : res.status === m.expectedStatus;
    let keywordOk = true;
    if (m.keyword !== null && m.method !== 'HEAD') {
      const body = (await res.text()).slice(0, MAX_BODY);
      keywordOk = body.includes(m.keyword);
    } else {
      await res.body?.cancel();
    }
    const latencyMs = elapsed(start);
    if (!statusOk)
      return {
        ok: false,
        latencyMs,
        code: res.status,
        error: `HTTP ${res.status}, expected ${m.expectedStatus ?? '2xx'}`,
      };
    if (!keywordOk)
      return {
        ok: false,
        latencyMs,
        code: res.status,
        error: `the response does not contain "${m.keyword}"`,
      };
    return { ok: true, latencyMs, code: res.status, error: null };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    const timedOut = e.name === 'TimeoutError';
    return {
      ok: false,
      latencyMs: elapsed(start),
      code: null,
      error: timedOut ? `no answer within ${m.timeoutMs} ms` : (e.cause?.message ?? e.message).slice(0, 200),
    };
  }
}

export function probeTcp(m: { target: string; timeoutMs: number }): Promise<ProbeResult> {
  const i = m.target.lastIndexOf(':');
  const host = m.target.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(m.target.slice(i + 1));
  const start = performance.now();
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (r: ProbeResult) => {
      s.destroy();
      resolve(r);
    };
    s.setTimeout(m.timeoutMs);
    s.once('connect', () => done({ ok: true, latencyMs: elapsed(start), code: null, error: null }));
    s.once('timeout', () =>
      done({
        ok: false,
        latencyMs: elapsed(start),
        code: null,
        error: `no connection within ${m.timeoutMs} ms`,
      }),
    );
    s.once('error', (err) =>
      done({ ok: false, latencyMs: elapsed(start), code: null, error: err.message.slice(0, 200) }),
    );
    s.connect(port, host);
  });
}
