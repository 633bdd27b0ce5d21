import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { workspaces } from '../../access/tables.ts';
import { exportChain } from '../../audit/export.ts';
import { verifyWorkspace } from '../../audit/verify.ts';
import { migrate } from '../../db/migrate.ts';
import { runVerb, SYSTEM_ACTOR } from '../../kernel/verb.ts';
import { formatProblems, parsePlan, renderPlanMarkdown } from '../../plans/index.ts';
import { applyPlan, InvalidPlan } from '../../plans/store.ts';
import { createWorkspaceWithAdmin } from '../../server/bootstrap.ts';
import { DataDirLocked } from '../../server/lock.ts';
import { serve } from '../../server/serve.ts';
import { configFrom, pickWorkspace, runAdmin } from '../admin.ts';
import { CliError, type Command, flag, readSource, str, table } from '../framework.ts';

const json = { json: { type: 'boolean', description: 'Print JSON for scripts' } } as const;
const workspaceOpt = {
  workspace: { type: 'string', value: 'SLUG', description: 'Workspace (default: "default" or the only one)' },
} as const;

export const adminCommands: Command[] = [
  {
    path: ['serve'],
    summary: 'Run the server (HTTP API, web app, jobs)',
    details:
      'Configured by environment: DATABASE_URL, SIAGA_DATA_DIR, PORT, HOST, SIAGA_PUBLIC_URL, SIAGA_BOOTSTRAP_TOKEN, LOG_LEVEL.',
    async run(_p, io) {
      const config = configFrom(io);
      let running: Awaited<ReturnType<typeof serve>>;
      try {
        running = await serve(config, { print: io.out, environment: io.env });
      } catch (err) {
        if (err instanceof DataDirLocked) throw new CliError(`${err.message}: Siaga is already running`);
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new CliError(`port ${config.port} is already in use`, [
            'Stop what is using it, or set PORT to another port.',
          ]);
        }
        throw err;
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          io.out('Stopping…');
          void running.stop().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    },
  },
  {
    path: ['migrate'],
    summary: 'Apply database migrations (the server also does this when it starts)',
    options: json,
    async run(p, io) {
      const applied = await runAdmin(io, {
        command: 'migrate',
        direct: async (_env, database) => migrate(database),
      });
      if (flag(p, 'json')) io.out(JSON.stringify({ applied }));
      else io.out(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
      return 0;
    },
  },
  {
    path: ['plan', 'validate'],
    summary: 'Check a plan file; every problem with its line, column and path',
    args: ['FILE'],
    options: json,
    async run(p, io) {
      const file = p.positionals[0]!;
      const r = parsePlan(await readSource(io, file), { filename: file });
      if (flag(p, 'json')) io.out(JSON.stringify({ ok: r.ok, problems: r.problems }, null, 2));
      else if (r.ok)
        io.out(
          `${file}: valid (${r.plan.severities.length} severities, ${r.plan.incident_types.length} incident types)`,
        );
      else {
        for (const line of formatProblems(r.problems, file)) io.out(line);
        io.out(`${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`);
      }
      return r.ok ? 0 : 1;
    },
  },
  {
    path: ['plan', 'render'],
    summary: 'Print a plan file as a readable Markdown incident response document',
    args: ['FILE'],
    options: { lang: { type: 'string', value: 'en|id', description: 'Language (default: the plan’s)' } },
    async run(p, io) {
      const file = p.positionals[0]!;
      const lang = str(p, 'lang');
      if (lang !== undefined && lang !== 'en' && lang !== 'id') throw new CliError('--lang must be en or id');
      const r = parsePlan(await readSource(io, file), { filename: file });
      if (!r.ok) {
        for (const line of formatProblems(r.problems, file)) io.err(line);
        throw new CliError(`${file} does not validate; fix it first (siaga plan validate ${file})`);
      }
      io.out(renderPlanMarkdown(r.plan, (lang as 'en' | 'id' | undefined) ?? r.plan.language));
      return 0;
    },
  },
  {
    path: ['plan', 'apply'],
    summary: 'Store a plan file as the workspace’s new active version',
    args: ['FILE'],
    options: {
      ...json,
      ...workspaceOpt,
      comment: { type: 'string', description: 'Why this version (kept with it)' },
    },
    async run(p, io) {
      const file = p.positionals[0]!;
      const source = await readSource(io, file);
      const comment = str(p, 'comment');
      type Out = { unchanged: boolean; version: { version: number } };
      let out: Out;
      try {
        out = await runAdmin<Out>(io, {
          command: 'plan apply',
          viaServer: (c) => c.request<Out>('POST', '/api/v1/plan/versions', { source, comment }),
          direct: async (env, database) => {
            const ws = await pickWorkspace(database, str(p, 'workspace'));
            return runVerb(
              env,
              { workspaceId: ws.id, actor: { ...SYSTEM_ACTOR, name: `cli:${io.env.USER ?? 'admin'}` } },
              (ctx) => applyPlan(ctx, { source, comment }),
            );
          },
        });
      } catch (err) {
        if (err instanceof InvalidPlan) {
          for (const line of formatProblems(err.problems, file)) io.err(line);
          throw new CliError(`${file} was not applied: ${err.message}`);
        }
        throw err;
      }
      if (flag(p, 'json')) io.out(JSON.stringify(out));
      else
        io.out(
          out.unchanged
            ? `Unchanged: version ${out.version.version} is already active.`
            : `Applied: plan version ${out.version.version} is now active.`,
        );
      return 0;
    },
  },
  {
    path: ['audit', 'verify'],
    summary: 'Recompute the audit hash chain; exit 0 when intact, 1 when not',
    options: { ...json, ...workspaceOpt },
    async run(p, io) {
      type Out = { ok: boolean; records: number; problem?: { seq: number; kind: string; message: string } };
      const r = await runAdmin<Out>(io, {
        command: 'audit verify',
        viaServer: (c) => c.request<Out>('GET', '/api/v1/audit/verify'),
        direct: async (env, database) =>
          verifyWorkspace(env.database.db, (await pickWorkspace(database, str(p, 'workspace'))).id),
      });
      if (flag(p, 'json')) io.out(JSON.stringify(r));
      else if (r.ok) io.out(`Audit chain intact: ${r.records} records verified.`);
      else
        io.out(`Audit chain BROKEN at record ${r.problem!.seq} (${r.problem!.kind}): ${r.problem!.message}`);
      return r.ok ? 0 : 1;
    },
  },
  {
    path: ['audit', 'export'],
    summary: 'Write the audit chain as JSON Lines (verify offline with scripts/verify-audit-export.mjs)',
    options: {
      ...workspaceOpt,
      out: {
        type: 'string',
        short: 'o',
        value: 'FILE',
        description: 'Write to FILE instead of standard output',
      },
    },
    async run(p, io) {
      const outFile = str(p, 'out');
      const stream = outFile ? createWriteStream(outFile) : null;
      const write = async (line: string) => {
        if (!stream) return io.out(line.replace(/\n$/, ''));
        if (!stream.write(line)) await once(stream, 'drain');
      };
      const n = await runAdmin<number>(io, {
        command: 'audit export',
        viaServer: async (c) => {
          const res = await c.raw('GET', '/api/v1/audit/export');
          const text = await res.text();
          const lines = text.split('\n').filter(Boolean);
          for (const l of lines) await write(`${l}\n`);
          return lines.length;
        },
        direct: async (env, database) =>
          exportChain(env.database.db, (await pickWorkspace(database, str(p, 'workspace'))).id, write),
      });
      if (stream) {
        stream.end();
        await once(stream, 'finish');
        io.err(`Wrote ${n} records to ${outFile}`);
      }
      return 0;
    },
  },
  {
    path: ['workspace', 'create'],
    summary: 'Create a workspace with its first admin; prints the admin’s API token once',
    args: ['SLUG'],
    options: {
      ...json,
      name: { type: 'string', description: 'Display name (default: the slug)' },
      'admin-email': { type: 'string', value: 'EMAIL', description: 'The first admin’s e-mail (required)' },
      plan: { type: 'string', value: 'FILE', description: 'Apply this plan file as version 1' },
    },
    async run(p, io) {
      const slug = p.positionals[0]!;
      const email = str(p, 'admin-email');
      if (!email) throw new CliError('--admin-email is required');
      const planFile = str(p, 'plan');
      const planSource = planFile ? await readSource(io, planFile) : undefined;
      if (planSource) {
        const r = parsePlan(planSource, { filename: planFile });
        if (!r.ok) {
          for (const line of formatProblems(r.problems, planFile)) io.err(line);
          throw new CliError(`${planFile} does not validate`);
        }
      }
      const w = await runAdmin(io, {
        command: 'workspace create',
        direct: (env) =>
          createWorkspaceWithAdmin(env, {
            slug,
            name: str(p, 'name') ?? slug,
            email,
            withPassword: true,
            planSource,
          }),
      });
      if (flag(p, 'json')) io.out(JSON.stringify(w));
      else {
        io.out(`Created workspace "${w.slug}". Its admin is ${w.email}.`);
        io.out(`One-time password: ${w.password}`);
        io.out(`API token (shown once): ${w.token}`);
      }
      return 0;
    },
  },
  {
    path: ['workspace', 'list'],
    summary: 'List workspaces',
    options: json,
    async run(p, io) {
      const rows = await runAdmin(io, {
        command: 'workspace list',
        direct: (env) =>
          env.database.db
            .select({ slug: workspaces.slug, name: workspaces.name, created_at: workspaces.createdAt })
            .from(workspaces),
      });
      if (flag(p, 'json')) io.out(JSON.stringify(rows));
      else
        io.out(
          table([
            ['SLUG', 'NAME', 'CREATED'],
            ...rows.map((r) => [r.slug, r.name, r.created_at.toISOString()]),
          ]),
        );
      return 0;
    },
  },
];
