import { formatMs } from '../../shared/duration.ts';
import { pick, type Text } from '../../shared/text.ts';
import { clientFrom } from '../client.ts';
import { CliError, type Command, flag, type Io, list, type Parsed, str, table } from '../framework.ts';

type Clock = { key: string; label: Text; state: string; deadline: string | null; slack_ms: number | null };
type Incident = {
  ref: string;
  title: string;
  type: string;
  severity: string;
  status: string;
  phase: string | null;
  drill: boolean;
  detected_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  description?: string;
  impact?: string;
  services: string[];
  roles?: { role: string; email: string }[];
  clocks?: Clock[];
  tasks?: { title: string; done_at: string | null; assignee: string | null; source: string }[];
  updates?: { audience: string; posted_at: string; body: string }[];
  commander?: string | null;
  most_urgent_clock?: Clock | null;
  allowed_statuses?: string[];
};

const json = { json: { type: 'boolean', description: 'Print JSON for scripts' } } as const;

function slack(c: Clock): string {
  if (c.slack_ms === null) return c.state === 'not_started' ? 'not started' : c.state;
  const d = formatMs(Math.abs(Math.round(c.slack_ms / 60_000) * 60_000));
  if (c.state === 'pending') return `due in ${d}`;
  if (c.state === 'met') return `met (${d} to spare)`;
  if (c.state === 'breached') return `BREACHED (${d} late)`;
  return c.state;
}

function printIncident(io: Io, i: Incident): void {
  io.out(`${i.ref}  [${i.severity}] ${i.title}${i.drill ? '  (DRILL)' : ''}`);
  io.out(
    `  status ${i.status}${i.phase ? `, phase ${i.phase}` : ''}; type ${i.type}; detected ${i.detected_at}`,
  );
  io.out(
    `  acknowledged ${i.acknowledged_at ?? 'not yet'}${i.resolved_at ? `; resolved ${i.resolved_at}` : ''}`,
  );
  if (i.services.length) io.out(`  services: ${i.services.join(', ')}`);
  if (i.impact) io.out(`  impact: ${i.impact}`);
  if (i.roles?.length) io.out(`  roles: ${i.roles.map((r) => `${r.role}=${r.email}`).join(', ')}`);
  if (i.clocks?.length) {
    io.out('\nClocks');
    io.out(
      table([
        ['CLOCK', 'DEADLINE', 'STATE'],
        ...i.clocks.map((c) => [pick(c.label), c.deadline ?? '-', slack(c)]),
      ]),
    );
  }
  if (i.tasks?.length) {
    const open = i.tasks.filter((t) => !t.done_at).length;
    io.out(`\nTasks (${open} open of ${i.tasks.length})`);
    for (const t of i.tasks)
      io.out(`  [${t.done_at ? 'x' : ' '}] ${t.title}${t.assignee ? ` (${t.assignee})` : ''}`);
  }
  if (i.updates?.length) {
    const u = i.updates[i.updates.length - 1]!;
    io.out(`\nLast update (${u.audience}, ${u.posted_at}):\n${u.body}`);
  }
}

function output(p: Parsed, io: Io, value: Incident): number {
  if (flag(p, 'json')) io.out(JSON.stringify(value, null, 2));
  else printIncident(io, value);
  return 0;
}

const refArg = ['INCIDENT'];
const path = (p: Parsed, suffix = '') =>
  `/api/v1/incidents/${encodeURIComponent(p.positionals[0]!)}${suffix}`;

export const incidentCommands: Command[] = [
  {
    path: ['incident', 'declare'],
    summary: 'Declare an incident under the active plan',
    args: ['TITLE'],
    options: {
      ...json,
      type: { type: 'string', short: 't', description: 'Incident type key from the plan (required)' },
      severity: { type: 'string', short: 's', description: 'Severity key (default: the type’s default)' },
      description: { type: 'string', short: 'd', description: 'What is known so far' },
      impact: { type: 'string', description: 'Who or what is affected' },
      service: { type: 'string', multiple: true, description: 'Affected service key' },
      tenant: { type: 'string', multiple: true, description: 'Affected tenant' },
      correlation: { type: 'string', multiple: true, description: 'Correlation id (request id, trace id)' },
      'detected-at': {
        type: 'string',
        value: 'TIME',
        description: 'When the first signal appeared (ISO 8601)',
      },
      drill: { type: 'boolean', description: 'Mark as a drill' },
    },
    async run(p, io) {
      const type = str(p, 'type');
      if (!type) throw new CliError('--type is required (an incident type key from the plan)');
      const body = {
        title: p.positionals[0],
        type,
        severity: str(p, 'severity'),
        description: str(p, 'description'),
        impact: str(p, 'impact'),
        services: list(p, 'service'),
        tenants: list(p, 'tenant'),
        correlation_ids: list(p, 'correlation'),
        detected_at: str(p, 'detected-at'),
        drill: flag(p, 'drill') || undefined,
      };
      const inc = await clientFrom(io.env).request<Incident>('POST', '/api/v1/incidents', body);
      return output(p, io, inc);
    },
  },
  {
    path: ['incident', 'list'],
    summary: 'List incidents: open first, most severe first',
    options: {
      ...json,
      status: { type: 'string', description: 'open (default), all, or a status' },
      severity: { type: 'string', description: 'Only this severity' },
      type: { type: 'string', description: 'Only this type' },
      service: { type: 'string', description: 'Only incidents affecting this service' },
      drills: { type: 'string', value: 'exclude|only', description: 'Leave drills out, or show only drills' },
      limit: { type: 'string', description: 'At most this many (default 50)' },
    },
    async run(p, io) {
      const q = new URLSearchParams();
      q.set('status', str(p, 'status') ?? 'open');
      for (const k of ['severity', 'type', 'service', 'limit'] as const) {
        const v = str(p, k);
        if (v) q.set(k, v);
      }
      const drills = str(p, 'drills');
      if (drills) q.set('drill', drills);
      const r = await clientFrom(io.env).request<{ incidents: Incident[] }>('GET', `/api/v1/incidents?${q}`);
      if (flag(p, 'json')) {
        io.out(JSON.stringify(r.incidents, null, 2));
        return 0;
      }
      if (r.incidents.length === 0) {
        io.out('No incidents.');
        return 0;
      }
      io.out(
        table([
          ['REF', 'SEV', 'STATUS', 'TITLE', 'COMMANDER', 'MOST URGENT'],
          ...r.incidents.map((i) => [
            i.ref + (i.drill ? '*' : ''),
            i.severity,
            i.status,
            i.title.length > 48 ? `${i.title.slice(0, 47)}…` : i.title,
            i.commander ?? '-',
            i.most_urgent_clock ? `${pick(i.most_urgent_clock.label)}: ${slack(i.most_urgent_clock)}` : '-',
          ]),
        ]),
      );
      return 0;
    },
  },
  {
    path: ['incident', 'show'],
    summary: 'Show an incident: clocks, roles, tasks, last update',
    args: refArg,
    options: json,
    async run(p, io) {
      return output(p, io, await clientFrom(io.env).request<Incident>('GET', path(p)));
    },
  },
  {
    path: ['incident', 'ack'],
    summary: 'Acknowledge an incident (stops its escalation)',
    args: refArg,
    options: json,
    async run(p, io) {
      return output(p, io, await clientFrom(io.env).request<Incident>('POST', path(p, '/acknowledge'), {}));
    },
  },
  {
    path: ['incident', 'status'],
    summary: 'Change status: investigating, identified, monitoring, resolved, closed',
    args: ['INCIDENT', 'STATUS'],
    options: { ...json, reason: { type: 'string', short: 'r', description: 'Why' } },
    async run(p, io) {
      const body = { status: p.positionals[1], reason: str(p, 'reason') };
      return output(p, io, await clientFrom(io.env).request<Incident>('POST', path(p, '/status'), body));
    },
  },
  {
    path: ['incident', 'resolve'],
    summary: 'Resolve an incident',
    args: refArg,
    options: { ...json, reason: { type: 'string', short: 'r', description: 'What fixed it' } },
    async run(p, io) {
      const body = { status: 'resolved', reason: str(p, 'reason') };
      return output(p, io, await clientFrom(io.env).request<Incident>('POST', path(p, '/status'), body));
    },
  },
  {
    path: ['incident', 'severity'],
    summary: 'Change severity, with a reason',
    args: ['INCIDENT', 'SEVERITY'],
    options: { ...json, reason: { type: 'string', short: 'r', description: 'Why (required)' } },
    async run(p, io) {
      const body = { severity: p.positionals[1], reason: str(p, 'reason') ?? '' };
      return output(p, io, await clientFrom(io.env).request<Incident>('POST', path(p, '/severity'), body));
    },
  },
  {
    path: ['incident', 'assign'],
    summary: 'Give a plan role to a member (e-mail or id)',
    args: ['INCIDENT', 'ROLE', 'USER'],
    options: json,
    async run(p, io) {
      const role = encodeURIComponent(p.positionals[1]!);
      const inc = await clientFrom(io.env).request<Incident>('PUT', path(p, `/roles/${role}`), {
        user: p.positionals[2],
      });
      return output(p, io, inc);
    },
  },
  {
    path: ['incident', 'phase'],
    summary: 'Enter the next phase of the plan',
    args: refArg,
    options: json,
    async run(p, io) {
      return output(p, io, await clientFrom(io.env).request<Incident>('POST', path(p, '/phase'), {}));
    },
  },
  {
    path: ['incident', 'note'],
    summary: 'Add a note to the timeline',
    args: ['INCIDENT', 'TEXT'],
    options: json,
    async run(p, io) {
      return output(
        p,
        io,
        await clientFrom(io.env).request<Incident>('POST', path(p, '/notes'), { text: p.positionals[1] }),
      );
    },
  },
  {
    path: ['incident', 'update'],
    summary: 'Post an update to an audience from the plan’s template',
    args: ['INCIDENT'],
    details: 'Template fields are given as --field key=value. Use --preview to see the text without posting.',
    options: {
      ...json,
      audience: { type: 'string', short: 'a', description: 'Audience key from the plan (required)' },
      template: { type: 'string', description: 'Template key (default: the audience’s first)' },
      field: {
        type: 'string',
        short: 'f',
        multiple: true,
        value: 'KEY=VALUE',
        description: 'A template field',
      },
      body: { type: 'string', description: 'Send this text instead of the rendered template' },
      preview: { type: 'boolean', description: 'Show the rendered update; post nothing' },
    },
    async run(p, io) {
      const audience = str(p, 'audience');
      if (!audience) throw new CliError('--audience is required (an audience key from the plan)');
      const fields: Record<string, string> = {};
      const raw = p.values.field;
      for (const kv of Array.isArray(raw) ? raw : []) {
        const eq = kv.indexOf('=');
        if (eq < 1) throw new CliError(`--field expects KEY=VALUE, got "${kv}"`);
        fields[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      const body = { audience, template: str(p, 'template'), fields, body: str(p, 'body') };
      const client = clientFrom(io.env);
      if (flag(p, 'preview')) {
        const r = await client.request<{
          subject: string | null;
          body: string;
          missing: string[];
          next_update_at: string | null;
        }>('POST', path(p, '/updates/preview'), body);
        if (flag(p, 'json')) io.out(JSON.stringify(r, null, 2));
        else {
          if (r.subject) io.out(`Subject: ${r.subject}\n`);
          io.out(r.body);
          if (r.missing.length) io.err(`\nNot filled in: ${r.missing.join(', ')}`);
        }
        return 0;
      }
      return output(p, io, await client.request<Incident>('POST', path(p, '/updates'), body));
    },
  },
  {
    path: ['incident', 'timeline'],
    summary: 'Print the timeline',
    args: refArg,
    options: json,
    async run(p, io) {
      const r = await clientFrom(io.env).request<{
        entries: { at: string; actor: { name: string }; kind: string; text: string }[];
      }>('GET', path(p, '/timeline'));
      if (flag(p, 'json')) io.out(JSON.stringify(r.entries, null, 2));
      else for (const e of r.entries) io.out(`${e.at}  ${e.actor.name.padEnd(24)} ${e.text}`);
      return 0;
    },
  },
];
