import { parse as parseYaml } from 'yaml';
import { clientFrom } from '../client.ts';
import { CliError, type Command, flag, type Io, type Parsed, readSource, str, table } from '../framework.ts';

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
const TYPES = ['alertmanager', 'pagerduty', 'grafana', 'sentry', 'webhook'];

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

/** A webhook mapping from a YAML or JSON file; the server checks its fields and names any wrong one. */
async function readMapping(io: Io, path: string): Promise<unknown> {
  const text = await readSource(io, path);
  try {
    return parseYaml(text);
  } catch (err) {
    throw new CliError(`${path} is not YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
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
      mapping: {
        type: 'string',
        value: 'FILE',
        description: 'For --type webhook: YAML or JSON saying where title, status and labels are',
      },
    },
    async run(p, io) {
      const type = str(p, 'type');
      const name = str(p, 'name');
      if (!type || !name)
        throw new CliError('--type and --name are required', [`types: ${TYPES.join(', ')}`]);
      const file = str(p, 'mapping');
      if (type === 'webhook' && !file)
        throw new CliError('--type webhook needs --mapping FILE', [
          'the file says where the fields are in what the tool posts, e.g.',
          '  title: $.alert.name',
          '  status: $.alert.state',
          '  dedup_key: $.alert.id',
        ]);
      const body = { type, name, ...(file ? { mapping: await readMapping(io, file) } : {}) };
      const i = await clientFrom(io.env).request<Integration>('POST', '/api/v1/integrations', body);
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
    path: ['integration', 'mapping'],
    summary: 'Replace a webhook integration’s mapping; the next post is read with the new one',
    args: ['NAME', 'FILE'],
    options: json,
    async run(p, io) {
      const mapping = await readMapping(io, p.positionals[1]!);
      const i = await clientFrom(io.env).request<Integration>('PUT', byName(p, 'mapping'), mapping);
      if (flag(p, 'json')) io.out(JSON.stringify(i, null, 2));
      else io.out(`Integration ${i.name}: mapping replaced.`);
      return 0;
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
