import { parseDuration } from '../../shared/duration.ts';
import { clientFrom } from '../client.ts';
import { CliError, type Command, flag, str, table } from '../framework.ts';

type OnCall = { at: string; on_call: { kind: string; key: string; people: string[] }[] };

const json = { json: { type: 'boolean', description: 'Print JSON for scripts' } } as const;

export const oncallCommands: Command[] = [
  {
    path: ['oncall', 'now'],
    summary: 'Who is on call: every schedule, team and role, or one schedule',
    args: ['[SCHEDULE]'],
    options: {
      ...json,
      at: { type: 'string', value: 'TIME', description: 'At this instant (ISO 8601) instead of now' },
      team: { type: 'string', description: 'A team instead of a schedule' },
      role: { type: 'string', description: 'A plan role instead of a schedule' },
    },
    async run(p, io) {
      const at = str(p, 'at');
      if (at !== undefined && Number.isNaN(Date.parse(at)))
        throw new CliError(`--at: "${at}" is not an ISO 8601 time`);
      const q = at ? `?at=${encodeURIComponent(new Date(at).toISOString())}` : '';
      const team = str(p, 'team');
      const role = str(p, 'role');
      const one = p.positionals[0];
      const path = team
        ? `/api/v1/oncall/teams/${encodeURIComponent(team)}`
        : role
          ? `/api/v1/oncall/roles/${encodeURIComponent(role)}`
          : one
            ? `/api/v1/oncall/schedules/${encodeURIComponent(one)}`
            : '/api/v1/oncall';
      const r = await clientFrom(io.env).request<OnCall>('GET', path + q);
      if (flag(p, 'json')) {
        io.out(JSON.stringify(r, null, 2));
        return 0;
      }
      io.out(`On call at ${r.at}`);
      io.out(
        table([
          ['KIND', 'KEY', 'ON CALL'],
          ...r.on_call.map((o) => [o.kind, o.key, o.people.join(', ') || 'nobody']),
        ]),
      );
      return 0;
    },
  },
  {
    path: ['oncall', 'apply'],
    summary: 'Apply an on-call file (teams, schedules, role and contact mappings, escalation policies)',
    args: ['FILE'],
    options: json,
    async run(p, io) {
      const file = p.positionals[0]!;
      if (!io.readInput) throw new CliError('this CLI cannot read files');
      const source = await io.readInput(file);
      type Out = { schedules: string[]; teams: string[]; policies: string[]; unchanged: boolean };
      let out: Out;
      try {
        out = await clientFrom(io.env).request<Out>('PUT', '/api/v1/oncall/file', { source });
      } catch (err) {
        if (err instanceof CliError) {
          // Problems come back as "line L, column C: …"; print them as FILE:L:C like `plan validate`.
          const lines = err.lines.map((l) => {
            const m = /^([^:]+): line (\d+), column (\d+): (.*)$/.exec(l);
            return m ? `${file}:${m[2]}:${m[3]}: ${m[4]} (${m[1]})` : l;
          });
          throw new CliError(`${file} was not applied: ${err.message}`, lines);
        }
        throw err;
      }
      if (flag(p, 'json')) io.out(JSON.stringify(out));
      else
        io.out(
          out.unchanged
            ? 'Unchanged: this on-call file is already applied.'
            : `Applied: ${out.schedules.length} schedule(s), ${out.teams.length} team(s), ${out.policies.length} policy(ies).`,
        );
      return 0;
    },
  },
  {
    path: ['oncall', 'override'],
    summary: 'Cover a schedule for someone: from now (or --from) for a while (--for) or until --to',
    args: ['SCHEDULE'],
    options: {
      ...json,
      user: { type: 'string', short: 'u', value: 'EMAIL', description: 'Who covers (a workspace member)' },
      from: { type: 'string', value: 'TIME', description: 'Start (ISO 8601); default now' },
      for: { type: 'string', value: 'DURATION', description: 'How long, e.g. "4h", "1d"' },
      to: { type: 'string', value: 'TIME', description: 'End (ISO 8601), instead of --for' },
    },
    async run(p, io) {
      const schedule = p.positionals[0]!;
      const user = str(p, 'user');
      if (!user) throw new CliError('--user EMAIL is required: who covers the schedule');
      const instant = (name: string, text: string | undefined): Date | undefined => {
        if (text === undefined) return undefined;
        const at = new Date(text);
        if (Number.isNaN(at.getTime())) throw new CliError(`--${name}: "${text}" is not an ISO 8601 time`);
        return at;
      };
      const from = instant('from', str(p, 'from')) ?? new Date();
      const span = str(p, 'for');
      let to = instant('to', str(p, 'to'));
      if (span !== undefined) {
        if (to) throw new CliError('give --for or --to, not both');
        const d = parseDuration(span);
        if (!d || d.ms <= 0 || d.months > 0 || d.businessDays > 0)
          throw new CliError(`--for: "${span}" is not a duration`, [
            'write it like "30m", "4h", "1d" or "1h30m"',
          ]);
        to = new Date(from.getTime() + d.ms);
      }
      if (!to) throw new CliError('say how long: --for DURATION (e.g. 4h) or --to TIME');
      const body = { user, from: from.toISOString(), to: to.toISOString() };
      const r = await clientFrom(io.env).request<{ id: string }>(
        'POST',
        `/api/v1/schedules/${encodeURIComponent(schedule)}/overrides`,
        body,
      );
      if (flag(p, 'json')) io.out(JSON.stringify({ id: r.id, schedule, ...body }));
      else io.out(`Override: ${user} covers ${schedule} from ${body.from} to ${body.to}.`);
      return 0;
    },
  },
  {
    path: ['oncall', 'overrides'],
    summary: "A schedule's overrides in progress or to come, with the ids to cancel them by",
    args: ['SCHEDULE'],
    options: { ...json },
    async run(p, io) {
      const schedule = p.positionals[0]!;
      const r = await clientFrom(io.env).request<{
        overrides: { id: string; user: string; from: string; to: string; from_file: boolean }[];
      }>('GET', `/api/v1/schedules/${encodeURIComponent(schedule)}/overrides`);
      if (flag(p, 'json')) io.out(JSON.stringify(r));
      else if (r.overrides.length === 0) io.out(`No override of ${schedule} is in progress or to come.`);
      else
        io.out(
          table([
            ['ID', 'WHO', 'FROM', 'TO', 'SET BY'],
            ...r.overrides.map((o) => [o.id, o.user, o.from, o.to, o.from_file ? 'on-call file' : 'api']),
          ]),
        );
      return 0;
    },
  },
  {
    path: ['oncall', 'cancel-override'],
    summary: 'Take an override back: removed if it has not begun, ended now if it has',
    args: ['SCHEDULE', 'ID'],
    options: { ...json },
    async run(p, io) {
      const [schedule, id] = [p.positionals[0]!, p.positionals[1]!];
      const r = await clientFrom(io.env).request<{ outcome: 'removed' | 'ended'; to: string }>(
        'DELETE',
        `/api/v1/schedules/${encodeURIComponent(schedule)}/overrides/${encodeURIComponent(id)}`,
      );
      if (flag(p, 'json')) io.out(JSON.stringify({ id, schedule, ...r }));
      else
        io.out(
          r.outcome === 'ended'
            ? `Override ${id} of ${schedule} ended at ${r.to}; the rotation has the schedule again.`
            : `Override ${id} of ${schedule} removed before it began.`,
        );
      return 0;
    },
  },
];
