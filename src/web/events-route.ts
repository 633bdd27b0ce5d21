import { z } from 'zod';
import { principalOf } from '../http/auth.ts';
import type { ZApp } from '../http/server.ts';
import type { LiveHub, Numbered } from './live-hub.ts';

export type EventsOptions = { heartbeatMs: number };

const frame = (n: Numbered) => `id: ${n.id}\nevent: live\ndata: ${JSON.stringify(n.event)}\n\n`;

/**
 * GET /api/v1/events: the workspace's live events as Server-Sent Events. Works with the session
 * cookie, so a browser's EventSource needs no token. Comments every heartbeat keep proxies from
 * closing an idle stream; `X-Accel-Buffering: no` keeps nginx from holding frames back.
 */
export function eventsRoute(app: ZApp, hub: LiveHub, opts: EventsOptions): void {
  const open = new Set<() => void>();
  // Streams never go idle, so the server could not close while one is open: end them first.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(
    '/api/v1/events',
    {
      schema: {
        tags: ['live'],
        summary:
          'Live events of the workspace (text/event-stream). Reconnect with Last-Event-ID (or ?last_event_id=) to catch up; an `event: resync` means refetch, some events could not be replayed.',
        querystring: z.strictObject({
          last_event_id: z.string().max(64).optional().describe('For clients that cannot set Last-Event-ID'),
        }),
        produces: ['text/event-stream'],
      },
    },
    async (req, reply) => {
      const { workspaceId } = principalOf(req);
      const header = req.headers['last-event-id'];
      const lastId = (typeof header === 'string' && header) || req.query.last_event_id;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': String(req.id),
      });
      res.write('retry: 3000\n\n');
      if (lastId) {
        const c = hub.since(lastId, workspaceId);
        if (c.kind === 'gap') res.write(`id: ${hub.lastId}\nevent: resync\ndata: {}\n\n`);
        else for (const n of c.events) res.write(frame(n));
      } else {
        res.write(`id: ${hub.lastId}\nevent: ready\ndata: {}\n\n`);
      }
      const unsubscribe = hub.subscribe(workspaceId, (n) => res.write(frame(n)));
      const beat = setInterval(() => res.write(': heartbeat\n\n'), opts.heartbeatMs);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(beat);
        unsubscribe();
        open.delete(end);
        res.end();
      };
      open.add(end);
      req.raw.on('close', end);
      res.on('error', end);
    },
  );
}
