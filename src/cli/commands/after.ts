import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { postmortemPage } from '../../postmortems/html.ts';
import { htmlToPdf } from '../../postmortems/pdf.ts';
import { formatMs } from '../../shared/duration.ts';
import { clientFrom } from '../client.ts';
import { CliError, type Command, flag, type Io, type Parsed, str, table } from '../framework.ts';

const json = { json: { type: 'boolean', description: 'Print JSON for scripts' } } as const;
const period = {
  from: {
    type: 'string',
    description: 'Start date (YYYY-MM-DD), inclusive; default a year ago',
    value: 'DATE',
  },
  to: { type: 'string', description: 'End date, exclusive; default now', value: 'DATE' },
} as const;

function query(p: Parsed, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ from: str(p, 'from'), to: str(p, 'to'), ...extra }))
    if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The front matter becomes a line for the reader; the document is printed below it. */
async function pdfOf(md: string, env: NodeJS.ProcessEnv): Promise<Uint8Array> {
  const m = /^---\n([\s\S]*?)\n---\n\n?/.exec(md);
  const meta = m ? (parse(m[1]!) as Record<string, unknown>) : {};
  const body = m ? md.slice(m[0].length) : md;
  const line = [
    meta.incident,
    meta.severity,
    meta.state,
    meta.author ? `author ${meta.author}` : '',
    meta.published_at ? `published ${meta.published_at}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return htmlToPdf(postmortemPage(String(meta.title ?? 'Post-mortem'), line, body), env);
}

const dur = (ms: number | null) => (ms === null ? '-' : formatMs(Math.round(ms / 60_000) * 60_000));

async function exportOne(io: Io, ref: string, out: string | undefined, format = 'md'): Promise<string> {
  const c = clientFrom(io.env);
  const md = await c.request<string>('GET', `/api/v1/incidents/${encodeURIComponent(ref)}/postmortem.md`);
  if (format === 'pdf') {
    const file = out ?? `${ref.toUpperCase()}.pdf`;
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, await pdfOf(md, io.env));
    return file;
  }
  if (!out) {
    io.out(md.trimEnd());
    return '-';
  }
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, md);
  return out;
}

type Stat = {
  n: number;
  mean_ms: number | null;
  p50_ms: number | null;
  p90_ms: number | null;
  p99_ms: number | null;
};
type Group = {
  key: string;
  incidents: number;
  acknowledged: number;
  resolved: number;
  mttd: Stat;
  mtta: Stat;
  mttr: Stat;
};

export const afterCommands: Command[] = [
  {
    path: ['postmortem', 'export'],
    summary: 'Write post-mortems as Markdown with YAML front matter',
    args: ['[INCIDENT]'],
    options: {
      output: {
        type: 'string',
        short: 'o',
        description: 'File to write (default: standard output)',
        value: 'PATH',
      },
      all: { type: 'boolean', description: 'Every post-mortem, one file per incident' },
      dir: { type: 'string', description: 'With --all: the folder (default docs/postmortem)', value: 'DIR' },
      format: {
        type: 'string',
        description: 'md (default) or pdf (printed with the system Chromium)',
        value: 'md|pdf',
      },
    },
    async run(p, io) {
      const format = str(p, 'format') ?? 'md';
      if (format !== 'md' && format !== 'pdf')
        throw new CliError(`--format ${format} is not supported; use md or pdf`);
      if (flag(p, 'all')) {
        const dir = str(p, 'dir') ?? 'docs/postmortem';
        const c = clientFrom(io.env);
        const { postmortems } = await c.request<{ postmortems: { incident: string }[] }>(
          'GET',
          '/api/v1/postmortems',
        );
        for (const pm of postmortems)
          io.out(await exportOne(io, pm.incident, join(dir, `${pm.incident}.md`)));
        io.err(`${postmortems.length} post-mortem(s) written to ${dir}`);
        return 0;
      }
      const ref = p.positionals[0];
      if (!ref) throw new CliError('name an incident (INC-1) or use --all');
      const written = await exportOne(io, ref, str(p, 'output'), format);
      if (written !== '-') io.err(`written to ${written}`);
      return 0;
    },
  },
  {
    path: ['postmortem', 'list'],
    summary: 'Post-mortems and their state',
    options: { ...json },
    async run(p, io) {
      const r = await clientFrom(io.env).request<{ postmortems: Record<string, string | boolean | null>[] }>(
        'GET',
        '/api/v1/postmortems',
      );
      if (flag(p, 'json')) io.out(JSON.stringify(r, null, 2));
      else
        io.out(
          table([
            ['INCIDENT', 'STATE', 'DUE', 'TITLE'],
            ...r.postmortems.map((x) => [
              String(x.incident),
              String(x.state),
              String(x.due_at ?? '-'),
              `${x.title}${x.drill ? ' (DRILL)' : ''}`,
            ]),
          ]),
        );
      return 0;
    },
  },
  {
    path: ['action-items'],
    summary: 'Action items across incidents, soonest due first',
    options: {
      ...json,
      overdue: { type: 'boolean', description: 'Only overdue ones' },
      status: {
        type: 'string',
        description: 'open, in_progress, done, wont_do or unfinished',
        value: 'STATUS',
      },
      owner: { type: 'string', description: "An owner's e-mail or team label", value: 'OWNER' },
    },
    async run(p, io) {
      const q = new URLSearchParams();
      if (flag(p, 'overdue')) q.set('overdue', 'true');
      for (const k of ['status', 'owner']) if (str(p, k)) q.set(k, str(p, k)!);
      const r = await clientFrom(io.env).request<{ action_items: Record<string, string | boolean | null>[] }>(
        'GET',
        `/api/v1/action-items${q.size ? `?${q}` : ''}`,
      );
      if (flag(p, 'json')) io.out(JSON.stringify(r, null, 2));
      else
        io.out(
          table([
            ['INCIDENT', '#', 'PRIORITY', 'STATUS', 'DUE', 'OWNER', 'TITLE'],
            ...r.action_items.map((a) => [
              String(a.incident),
              String(a.number),
              String(a.priority),
              `${a.status}${a.overdue ? ' OVERDUE' : ''}`,
              String(a.due_on ?? '-'),
              String(a.owner ?? (a.owner_label || '-')),
              String(a.title),
            ]),
          ]),
        );
      return 0;
    },
  },
  {
    path: ['metrics'],
    summary: 'MTTD, MTTA, MTTR (mean, p50, p90, p99) and counts; drills excluded',
    options: {
      ...json,
      ...period,
      by: { type: 'string', description: 'severity, type, service or month', value: 'GROUP' },
    },
    async run(p, io) {
      const r = await clientFrom(io.env).request<{ groups: Group[] }>(
        'GET',
        `/api/v1/metrics/summary${query(p, { group_by: str(p, 'by') })}`,
      );
      if (flag(p, 'json')) {
        io.out(JSON.stringify(r, null, 2));
        return 0;
      }
      const row = (g: Group, name: 'mttd' | 'mtta' | 'mttr') => [
        g.key,
        name.toUpperCase(),
        String(g[name].n),
        dur(g[name].mean_ms),
        dur(g[name].p50_ms),
        dur(g[name].p90_ms),
        dur(g[name].p99_ms),
      ];
      io.out(
        table([
          ['GROUP', 'METRIC', 'N', 'MEAN', 'P50', 'P90', 'P99'],
          ...r.groups.flatMap((g) => [row(g, 'mttd'), row(g, 'mtta'), row(g, 'mttr')]),
        ]),
      );
      io.out(
        `\n${r.groups.map((g) => `${g.key}: ${g.incidents} incidents, ${g.acknowledged} acknowledged, ${g.resolved} resolved`).join('\n')}`,
      );
      return 0;
    },
  },
  {
    path: ['incident', 'log'],
    summary: 'The incident log: date, type, severity, impact, resolution, post-mortem',
    options: { ...json, ...period, csv: { type: 'boolean', description: 'CSV (RFC 4180) for spreadsheets' } },
    async run(p, io) {
      const c = clientFrom(io.env);
      if (flag(p, 'csv')) {
        io.out(
          (await c.request<string>('GET', `/api/v1/metrics/log${query(p, { format: 'csv' })}`)).trimEnd(),
        );
        return 0;
      }
      const r = await c.request<{ entries: Record<string, string | null>[] }>(
        'GET',
        `/api/v1/metrics/log${query(p)}`,
      );
      if (flag(p, 'json')) io.out(JSON.stringify(r, null, 2));
      else
        io.out(
          table([
            ['DATE', 'INCIDENT', 'TYPE', 'SEVERITY', 'IMPACT', 'RESOLUTION', 'POST-MORTEM'],
            ...r.entries.map((e) => [
              e.date!,
              e.incident!,
              e.type!,
              e.severity!,
              e.impact || '-',
              e.resolution || '-',
              e.postmortem ?? '-',
            ]),
          ]),
        );
      return 0;
    },
  },
  {
    path: ['drill', 'list'],
    summary: "The plan's drills: last held and next due",
    options: { ...json },
    async run(p, io) {
      const r = await clientFrom(io.env).request<{ drills: Record<string, string | boolean | null>[] }>(
        'GET',
        '/api/v1/drills',
      );
      if (flag(p, 'json')) io.out(JSON.stringify(r, null, 2));
      else
        io.out(
          table([
            ['DRILL', 'KIND', 'EVERY', 'LAST TEST', 'NEXT TEST'],
            ...r.drills.map((d) => [
              String(d.key),
              String(d.kind),
              String(d.every),
              String(d.last_held ?? 'never'),
              `${d.next_due ?? 'now'}${d.overdue ? ' (due)' : ''}`,
            ]),
          ]),
        );
      return 0;
    },
  },
  {
    path: ['drill', 'held'],
    summary: 'Record that a drill was held',
    args: ['DRILL'],
    options: {
      at: { type: 'string', description: 'When (an ISO instant); default now', value: 'TIME' },
      incident: { type: 'string', description: 'The drill incident it was run as', value: 'INCIDENT' },
      note: { type: 'string', description: 'What was practised, what was learned', value: 'TEXT' },
    },
    async run(p, io) {
      await clientFrom(io.env).request(
        'POST',
        `/api/v1/drills/${encodeURIComponent(p.positionals[0]!)}/held`,
        {
          ...(str(p, 'at') ? { held_at: str(p, 'at') } : {}),
          ...(str(p, 'incident') ? { incident: str(p, 'incident') } : {}),
          ...(str(p, 'note') ? { note: str(p, 'note') } : {}),
        },
      );
      io.out(`recorded ${p.positionals[0]}`);
      return 0;
    },
  },
];
