import { CliError } from './framework.ts';

export type Client = {
  url: string;
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  raw(method: string, path: string): Promise<Response>;
};

type ProblemBody = { detail?: string; title?: string; errors?: { field: string; message: string }[] };

/** The responder commands' view of a server: SIAGA_URL and SIAGA_TOKEN, errors a person can act on. */
export function clientFrom(env: NodeJS.ProcessEnv, fetchImpl: typeof fetch = fetch): Client {
  const url = (env.SIAGA_URL || 'http://localhost:8080').replace(/\/$/, '');
  const token = env.SIAGA_TOKEN;
  const send = async (method: string, path: string, body?: unknown): Promise<Response> => {
    if (!token) {
      throw new CliError('SIAGA_TOKEN is not set', [
        'Create a token in the web app or with `siaga token create NAME`, then: export SIAGA_TOKEN=...',
      ]);
    }
    try {
      return await fetchImpl(url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new CliError(
        `cannot reach Siaga at ${url} (${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message})`,
        ['Is `siaga serve` running? Set SIAGA_URL to the server’s address.'],
      );
    }
  };
  const fail = async (res: Response): Promise<never> => {
    let p: ProblemBody = {};
    try {
      p = (await res.json()) as ProblemBody;
    } catch {
      // Not problem+json: fall back to the status line.
    }
    if (res.status === 401) {
      throw new CliError(`the server refused the token: ${p.detail ?? 'unauthenticated'}`, [
        'Check SIAGA_TOKEN.',
      ]);
    }
    const lines = (p.errors ?? []).map((e) => `${e.field}: ${e.message}`);
    throw new CliError(p.detail ?? `${res.status} ${res.statusText}`, lines);
  };
  return {
    url,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await send(method, path, body);
      if (!res.ok) return fail(res);
      if (res.status === 204) return undefined as T;
      const type = res.headers.get('content-type') ?? '';
      return (type.includes('json') ? await res.json() : await res.text()) as T;
    },
    async raw(method, path) {
      const res = await send(method, path);
      if (!res.ok) return fail(res);
      return res;
    },
  };
}
