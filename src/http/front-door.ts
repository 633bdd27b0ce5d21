import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Answers a request itself and says so, or returns false to leave it to Fastify. */
export type Door = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Puts a door before Fastify's own request listener: for the few paths where Fastify's routing,
 * hooks and reply pipeline cost more than the answer (cached status pages, alert intake under a
 * storm). Doors chain: each one installed goes first and passes on what it does not answer.
 */
export function installFrontDoor(app: FastifyInstance, door: Door): void {
  const server = app.server;
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (door(req, res)) return;
    for (const l of listeners) l.call(server, req, res);
  });
}
