import { clientFrom } from '../client.ts';
import { CliError, type Command, flag, list, str, table } from '../framework.ts';

type Page = { slug: string; name: string; host: string | null; private: boolean; url: string };
type Component = { id: string; name: string; status: string; group: boolean; service: string | null };

const json = { json: { type: 'boolean', description: 'Print JSON for scripts' } } as const;
const pages = '/api/v1/statuspage/pages';
const enc = encodeURIComponent;

/** --component ID=STATUS pairs, as the API's `components` map. */
function affected(pairs: string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const [id, status] = p.split('=');
    if (!id || !status) throw new CliError(`--component takes ID=STATUS (got "${p}")`);
    out[id] = status;
  }
  return out;
}

export const statuspageCommands: Command[] = [
  {
    path: ['statuspage', 'list'],
    summary: 'List the status pages of the workspace',
    options: json,
    async run(p, io) {
      const r = await clientFrom(io.env).request<{ pages: Page[] }>('GET', pages);
      if (flag(p, 'json')) io.out(JSON.stringify(r.pages, null, 2));
      else
        io.out(
          table([
            ['SLUG', 'NAME', 'URL', 'PRIVATE'],
            ...r.pages.map((x) => [x.slug, x.name, x.url, x.private ? 'yes' : 'no']),
          ]),
        );
      return 0;
    },
  },
  {
    path: ['statuspage', 'create'],
    summary: 'Create a status page served at /status/SLUG/',
    args: ['SLUG', 'NAME'],
    options: {
      ...json,
      host: { type: 'string', description: 'Its own host name (status.example.com)' },
      'time-zone': { type: 'string', description: 'IANA time zone for dates (default Etc/UTC)' },
      language: { type: 'string', description: 'en or id' },
      secret: { type: 'string', description: 'Make it private: visitors need ?key=SECRET' },
    },
    async run(p, io) {
      const body = {
        slug: p.positionals[0],
        name: p.positionals[1],
        host: str(p, 'host'),
        time_zone: str(p, 'time-zone'),
        language: str(p, 'language'),
        secret: str(p, 'secret'),
      };
      const r = await clientFrom(io.env).request<Page>('POST', pages, body);
      io.out(flag(p, 'json') ? JSON.stringify(r, null, 2) : `Created ${r.slug}: ${r.url}`);
      return 0;
    },
  },
  {
    path: ['statuspage', 'show'],
    summary: 'Show a page and its components',
    args: ['SLUG'],
    options: json,
    async run(p, io) {
      const r = await clientFrom(io.env).request<Page & { components: Component[] }>(
        'GET',
        `${pages}/${enc(p.positionals[0]!)}`,
      );
      if (flag(p, 'json')) {
        io.out(JSON.stringify(r, null, 2));
        return 0;
      }
      io.out(`${r.name}  ${r.url}${r.private ? '  (private)' : ''}`);
      io.out(
        table([
          ['ID', 'COMPONENT', 'STATUS', 'SERVICE'],
          ...r.components.map((c) => [
            c.id,
            c.group ? `${c.name}/` : c.name,
            c.group ? '-' : c.status,
            c.service ?? '-',
          ]),
        ]),
      );
      return 0;
    },
  },
  {
    path: ['statuspage', 'component', 'add'],
    summary: 'Add a component (or --group) to a page',
    args: ['SLUG', 'NAME'],
    options: {
      ...json,
      service: { type: 'string', description: "The plan's service key it shows" },
      group: { type: 'boolean', description: 'Create a group' },
      'in-group': { type: 'string', description: 'Id of the group to show it in' },
      description: { type: 'string', description: 'Shown under the name' },
    },
    async run(p, io) {
      const body = {
        name: p.positionals[1],
        service: str(p, 'service'),
        group: flag(p, 'group') || undefined,
        group_id: str(p, 'in-group'),
        description: str(p, 'description'),
      };
      const c = await clientFrom(io.env).request<Component>(
        'POST',
        `${pages}/${enc(p.positionals[0]!)}/components`,
        body,
      );
      io.out(flag(p, 'json') ? JSON.stringify(c, null, 2) : `Added ${c.name} (${c.id})`);
      return 0;
    },
  },
  {
    path: ['statuspage', 'component', 'status'],
    summary:
      'Set a component status: operational, degraded_performance, partial_outage, major_outage, under_maintenance',
    args: ['SLUG', 'COMPONENT_ID', 'STATUS'],
    async run(p, io) {
      const [slug, id, status] = p.positionals as [string, string, string];
      await clientFrom(io.env).request('PUT', `${pages}/${enc(slug)}/components/${enc(id)}/status`, {
        status,
      });
      io.out(`${id}: ${status}`);
      return 0;
    },
  },
  {
    path: ['statuspage', 'incident'],
    summary: 'Publish an incident on the page by hand',
    args: ['SLUG', 'NAME'],
    options: {
      body: { type: 'string', short: 'b', description: 'The first update (required)' },
      impact: { type: 'string', description: 'none, minor (default), major, critical' },
      status: { type: 'string', description: 'investigating (default), identified, monitoring, resolved' },
      component: {
        type: 'string',
        multiple: true,
        value: 'ID=STATUS',
        description: 'A component whose status changes',
      },
    },
    async run(p, io) {
      const body = {
        name: p.positionals[1],
        body: str(p, 'body'),
        impact: str(p, 'impact'),
        status: str(p, 'status'),
        components: affected(list(p, 'component')),
      };
      const r = await clientFrom(io.env).request<{ id: string }>(
        'POST',
        `${pages}/${enc(p.positionals[0]!)}/incidents`,
        body,
      );
      io.out(`Published ${r.id}`);
      return 0;
    },
  },
  {
    path: ['statuspage', 'update'],
    summary: 'Publish an update to a public incident or maintenance',
    args: ['SLUG', 'ID', 'STATUS'],
    options: {
      body: { type: 'string', short: 'b', description: 'What changed (required)' },
      component: {
        type: 'string',
        multiple: true,
        value: 'ID=STATUS',
        description: 'A component whose status changes',
      },
    },
    async run(p, io) {
      const [slug, id, status] = p.positionals as [string, string, string];
      const body = { status, body: str(p, 'body'), components: affected(list(p, 'component')) };
      await clientFrom(io.env).request('POST', `${pages}/${enc(slug)}/incidents/${enc(id)}/updates`, body);
      io.out(`Updated ${id}: ${status}`);
      return 0;
    },
  },
  {
    path: ['statuspage', 'maintenance'],
    summary: 'Schedule a maintenance window',
    args: ['SLUG', 'NAME'],
    options: {
      body: { type: 'string', short: 'b', description: 'What is done and what users notice (required)' },
      from: { type: 'string', value: 'TIME', description: 'Start (ISO 8601)' },
      until: { type: 'string', value: 'TIME', description: 'End (ISO 8601)' },
      component: { type: 'string', multiple: true, value: 'ID', description: 'A component it covers' },
    },
    async run(p, io) {
      const body = {
        name: p.positionals[1],
        body: str(p, 'body'),
        scheduled_for: str(p, 'from'),
        scheduled_until: str(p, 'until'),
        components: list(p, 'component'),
      };
      const r = await clientFrom(io.env).request<{ id: string }>(
        'POST',
        `${pages}/${enc(p.positionals[0]!)}/maintenances`,
        body,
      );
      io.out(`Scheduled ${r.id}`);
      return 0;
    },
  },
  {
    path: ['statuspage', 'subscribers'],
    summary: 'Export the subscribers of a page as JSON (personal data)',
    args: ['SLUG'],
    async run(p, io) {
      const r = await clientFrom(io.env).request<{ subscribers: unknown[] }>(
        'GET',
        `${pages}/${enc(p.positionals[0]!)}/subscribers`,
      );
      io.out(JSON.stringify(r.subscribers, null, 2));
      return 0;
    },
  },
];
