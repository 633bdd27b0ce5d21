import { clientFrom } from '../client.ts';
import { CliError, type Command, flag, type Io, type Parsed, str, table } from '../framework.ts';

type Integration = {
  name: string;
  type: string;
  enabled: boolean;
  secret_hint: string;
  created_at: string;
  rotated_at: string | null;
  secret?: string;
  endpoints?: Record<string, string>;
};

const json = { json: { type: 'boolean', description: 'Print JSON for scripts' } } as const;
const TYPES = ['alertmanager', 'pagerduty', 'grafana', 'sentry'];

function printSecret(p: Parsed, io: Io, i: Integration): number {
  if (flag(p, 'json')) {
    io.out(JSON.stringify(i, null, 2));
    return 0;
  }
  io.out(`Integration ${i.name} (${i.type})`);
  for (const [k, v] of Object.entries(i.endpoints ?? {})) io.out(`  ${k}: ${v}`);
  io.out(`  secret: ${i.secret}`);
  io.out('The secret is shown once; paste it into the sending tool now.');
  return 0;
}

const byName = (p: Parsed, verb: string) =>
  `/api/v1/integrations/${encodeURIComponent(p.positionals[0]!)}/${verb}`;

export const integrationCommands: Command[] = [
  {
    path: ['integration', 'create'],
    summary: 'Create an integration; prints the URL for the sending tool and its secret',
    options: {
      ...json,
      type: { type: 'string', short: 't', description: `What sends to it: ${TYPES.join(', ')}` },
      name: { type: 'string', short: 'n', description: 'Its name (lower case, digits, "-", "_", ".")' },
    },
    async run(p, io) {
      const type = str(p, 'type');
      const name = str(p, 'name');
      if (!type || !name)
        throw new CliError('--type and --name are required', [`types: ${TYPES.join(', ')}`]);
      const i = await clientFrom(io.env).request<Integration>('POST', '/api/v1/integrations', { type, name });
      return printSecret(p, io, i);
    },
  },
  {
    path: ['integration', 'list'],
    summary: 'List integrations',
    options: json,
    async run(p, io) {
      const r = await clientFrom(io.env).request<{ integrations: Integration[] }>(
        'GET',
        '/api/v1/integrations',
      );
      if (flag(p, 'json')) io.out(JSON.stringify(r.integrations, null, 2));
      else if (r.integrations.length === 0) io.out('No integrations.');
      else
        io.out(
          table([
            ['NAME', 'TYPE', 'STATE', 'SECRET', 'CREATED'],
            ...r.integrations.map((i) => [
              i.name,
              i.type,
              i.enabled ? 'enabled' : 'disabled',
              `…${i.secret_hint}`,
              i.created_at,
            ]),
          ]),
        );
      return 0;
    },
  },
  {
    path: ['integration', 'rotate'],
    summary: 'Replace an integration’s secret; the old one stops working at once',
    args: ['NAME'],
    options: json,
    async run(p, io) {
      return printSecret(
        p,
        io,
        await clientFrom(io.env).request<Integration>('POST', byName(p, 'rotate'), {}),
      );
    },
  },
  {
    path: ['integration', 'disable'],
    summary: 'Disable an integration: its sender gets 404 until it is enabled again',
    args: ['NAME'],
    options: json,
    async run(p, io) {
      const i = await clientFrom(io.env).request<Integration>('POST', byName(p, 'disable'), {});
      if (flag(p, 'json')) io.out(JSON.stringify(i, null, 2));
      else io.out(`Integration ${i.name} disabled.`);
      return 0;
    },
  },
  {
    path: ['integration', 'enable'],
    summary: 'Enable a disabled integration again',
    args: ['NAME'],
    options: json,
    async run(p, io) {
      const i = await clientFrom(io.env).request<Integration>('POST', byName(p, 'enable'), {});
      if (flag(p, 'json')) io.out(JSON.stringify(i, null, 2));
      else io.out(`Integration ${i.name} enabled.`);
      return 0;
    },
  },
];
