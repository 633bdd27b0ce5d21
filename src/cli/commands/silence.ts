import { parseDuration } from '../../shared/duration.ts';
import { clientFrom } from '../client.ts';
import { CliError, type Command, flag, list, str, table } from '../framework.ts';

type Silence = {
  id: string;
  kind: string;
  matchers: Record<string, unknown>;
  starts_at: string;
  ends_at: string;
  author: string;
  reason: string;
  state: string;
};

const json = { json: { type: 'boolean', description: 'Print JSON for scripts' } } as const;

/** "name=value" is equality, "name=~regex" a regular expression, as in Alertmanager's amtool. */
function matcher(spec: string): [string, unknown] {
  const m = /^([^=!~]+)(=~|!~|!=|=)(.*)$/.exec(spec);
  if (!m) throw new CliError(`--match ${spec}: expected name=value, name!=value, name=~regex or name!~regex`);
  const [, name, op, value] = m;
  const v =
    op === '='
      ? value
      : op === '!='
        ? { not_equals: value }
        : op === '=~'
          ? { regex: value }
          : { not_regex: value };
  return [name!, v];
}

export const silenceCommands: Command[] = [
  {
    path: ['silence', 'create'],
    summary: 'Silence matching alerts for a while (they are stored and shown as suppressed)',
    options: {
      ...json,
      match: {
        type: 'string',
        multiple: true,
        description: 'name=value, name!=value, name=~regex (repeatable)',
      },
      for: { type: 'string', description: 'How long, e.g. 2h (or --until)' },
      until: { type: 'string', value: 'TIME', description: 'When it ends (ISO 8601)' },
      reason: { type: 'string', short: 'r', description: 'Why (required)' },
      maintenance: { type: 'boolean', description: 'Record it as a maintenance window' },
    },
    async run(p, io) {
      const matchers = Object.fromEntries(list(p, 'match').map(matcher));
      const reason = str(p, 'reason');
      if (!reason) throw new CliError('--reason is required');
      let ends = str(p, 'until');
      const span = str(p, 'for');
      if (!ends && span) {
        const d = parseDuration(span);
        if (!d || d.months || d.businessDays)
          throw new CliError(`--for ${span}: expected a duration like 30m or 2h`);
        // The CLI runs on a person's machine: its own clock is the right "from now".
        ends = new Date(Date.now() + d.ms).toISOString();
      }
      if (!ends) throw new CliError('say how long: --for 2h or --until TIME');
      const body = {
        matchers,
        ends_at: ends,
        reason,
        kind: flag(p, 'maintenance') ? 'maintenance' : 'silence',
      };
      const s = await clientFrom(io.env).request<Silence>('POST', '/api/v1/silences', body);
      io.out(flag(p, 'json') ? JSON.stringify(s, null, 2) : `Silence ${s.id} until ${s.ends_at}`);
      return 0;
    },
  },
  {
    path: ['silence', 'list'],
    summary: 'List silences and maintenance windows',
    options: json,
    async run(p, io) {
      const r = await clientFrom(io.env).request<{ silences: Silence[] }>('GET', '/api/v1/silences');
      if (flag(p, 'json')) io.out(JSON.stringify(r.silences, null, 2));
      else if (r.silences.length === 0) io.out('No silences.');
      else
        io.out(
          table([
            ['ID', 'KIND', 'STATE', 'ENDS', 'MATCHERS', 'REASON'],
            ...r.silences.map((s) => [
              s.id,
              s.kind,
              s.state,
              s.ends_at,
              JSON.stringify(s.matchers),
              s.reason,
            ]),
          ]),
        );
      return 0;
    },
  },
  {
    path: ['silence', 'expire'],
    summary: 'End a silence now',
    args: ['ID'],
    options: json,
    async run(p, io) {
      const s = await clientFrom(io.env).request<Silence>(
        'POST',
        `/api/v1/silences/${encodeURIComponent(p.positionals[0]!)}/expire`,
        {},
      );
      io.out(flag(p, 'json') ? JSON.stringify(s, null, 2) : `Silence ${s.id} expired.`);
      return 0;
    },
  },
];
