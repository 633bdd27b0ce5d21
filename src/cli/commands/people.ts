import { clientFrom } from '../client.ts';
import { CliError, type Command, flag, str, table } from '../framework.ts';

const json = { json: { type: 'boolean', description: 'Print JSON for scripts' } } as const;

export const peopleCommands: Command[] = [
  {
    path: ['user', 'list'],
    summary: 'List the workspace’s members',
    options: json,
    async run(p, io) {
      const r = await clientFrom(io.env).request<{ users: { email: string; name: string; role: string }[] }>(
        'GET',
        '/api/v1/users',
      );
      if (flag(p, 'json')) io.out(JSON.stringify(r.users, null, 2));
      else io.out(table([['EMAIL', 'NAME', 'ROLE'], ...r.users.map((u) => [u.email, u.name, u.role])]));
      return 0;
    },
  },
  {
    path: ['user', 'add'],
    summary: 'Add a member (admin)',
    args: ['EMAIL'],
    options: {
      ...json,
      name: { type: 'string', description: 'Display name (default: the part before @)' },
      role: { type: 'string', description: 'viewer, responder (default) or admin' },
      password: { type: 'string', description: 'Initial password for the web app' },
    },
    async run(p, io) {
      const email = p.positionals[0]!;
      const body = {
        email,
        name: str(p, 'name') ?? email.split('@')[0],
        role: str(p, 'role') ?? 'responder',
        password: str(p, 'password'),
      };
      const u = await clientFrom(io.env).request<{ email: string; role: string }>(
        'POST',
        '/api/v1/users',
        body,
      );
      if (flag(p, 'json')) io.out(JSON.stringify(u));
      else io.out(`Added ${u.email} as ${u.role}.`);
      return 0;
    },
  },
  {
    path: ['token', 'create'],
    summary: 'Issue yourself an API token (printed once)',
    args: ['NAME'],
    options: { ...json, role: { type: 'string', description: 'A narrower role than yours' } },
    async run(p, io) {
      const t = await clientFrom(io.env).request<{ id: string; token: string; role: string }>(
        'POST',
        '/api/v1/tokens',
        {
          name: p.positionals[0],
          role: str(p, 'role'),
        },
      );
      if (flag(p, 'json')) io.out(JSON.stringify(t));
      else io.out(`${t.token}\n(role ${t.role}; id ${t.id}; shown once)`);
      return 0;
    },
  },
  {
    path: ['token', 'list'],
    summary: 'List API tokens',
    options: json,
    async run(p, io) {
      const r = await clientFrom(io.env).request<{
        tokens: { id: string; name: string; prefix: string; role: string; last_used_at: string | null }[];
      }>('GET', '/api/v1/tokens');
      if (flag(p, 'json')) io.out(JSON.stringify(r.tokens, null, 2));
      else
        io.out(
          table([
            ['ID', 'NAME', 'PREFIX', 'ROLE', 'LAST USED'],
            ...r.tokens.map((t) => [t.id, t.name, `${t.prefix}…`, t.role, t.last_used_at ?? 'never']),
          ]),
        );
      return 0;
    },
  },
  {
    path: ['token', 'revoke'],
    summary: 'Revoke an API token',
    args: ['ID'],
    async run(p, io) {
      if (!/^[0-9a-f-]{36}$/i.test(p.positionals[0]!))
        throw new CliError('give the token’s id (see `siaga token list`)');
      await clientFrom(io.env).request('DELETE', `/api/v1/tokens/${p.positionals[0]}`);
      io.out('Revoked.');
      return 0;
    },
  },
];
