import { dumpPglite } from '../../db/backup.ts';
import type { Env } from '../../kernel/env.ts';
import { NotAllowed } from '../../shared/errors.ts';
import type { ZApp } from '../server.ts';

export function adminRoutes(app: ZApp, env: Env): void {
  app.get(
    '/api/v1/admin/backup',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'A backup of the embedded database (gzipped tar); on PostgreSQL use pg_dump',
        produces: ['application/gzip'],
      },
    },
    async (_req, reply) => {
      if (env.database.kind !== 'pglite') {
        throw new NotAllowed(
          'this server runs on PostgreSQL: back it up with pg_dump (or `siaga backup FILE` with DATABASE_URL set)',
        );
      }
      const bytes = await dumpPglite(env.database);
      return reply
        .type('application/gzip')
        .header(
          'content-disposition',
          `attachment; filename="siaga-${env.clock.now().toISOString().slice(0, 10)}.tar.gz"`,
        )
        .send(Buffer.from(bytes));
    },
  );
}
