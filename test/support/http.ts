import type { LightMyRequestResponse } from 'fastify';
import { issueToken } from '../../src/access/verbs.ts';
import { buildHttp, type HttpOptions, type ZApp } from '../../src/http/server.ts';
import { runVerb, type Scope } from '../../src/kernel/verb.ts';
import type { TestWorld } from './env.ts';

export type Api = {
  app: ZApp;
  token: string;
  call(
    method: string,
    url: string,
    body?: unknown,
    opts?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  tokenFor(scope: Scope & { actor: { id: string | null } }): Promise<string>;
};

/** An HTTP app over a test world, with an admin token; requests go through app.inject. */
export async function apiFor(w: TestWorld, opts: HttpOptions = {}): Promise<Api> {
  const app = await buildHttp(w.env, opts);
  const tokenFor = async (scope: Scope & { actor: { id: string | null } }) =>
    (await runVerb(w.env, scope, (ctx) => issueToken(ctx, { userId: scope.actor.id!, name: 'test' }))).token;
  const token = await tokenFor(w.admin.scope);
  return {
    app,
    token,
    tokenFor,
    call: (method, url, body, o = {}) => {
      const bearer = o.token === undefined ? token : o.token;
      return app.inject({
        method: method as 'GET',
        url,
        headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(o.headers ?? {}) },
        ...(body === undefined
          ? {}
          : typeof body === 'string'
            ? { payload: body }
            : { payload: body as object }),
      });
    },
  };
}
