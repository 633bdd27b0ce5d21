import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

export type Io = {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Reads a whole file or "-" for standard input. */
  readInput?(path: string): Promise<string>;
};

export type OptionSpec = {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  description: string;
  value?: string;
};

export type Parsed = {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
};

export type Command = {
  path: string[];
  summary: string;
  /** Positional arguments, "FILE" or "[SCHEDULE]" for optional ones. */
  args?: string[];
  options?: Record<string, OptionSpec>;
  details?: string;
  run(p: Parsed, io: Io): Promise<number>;
};

/** An error the person at the terminal can act on; printed without a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly lines: string[];
  constructor(message: string, lines: string[] = [], exitCode = 1) {
    super(message);
    this.lines = lines;
    this.exitCode = exitCode;
  }
}

const COMMON: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for this command' },
};

export function usage(cmd: Command): string {
  const opts = { ...(cmd.options ?? {}), ...COMMON };
  const lines = [
    `Usage: siaga ${cmd.path.join(' ')}${cmd.args?.length ? ` ${cmd.args.join(' ')}` : ''}${Object.keys(opts).length > 1 ? ' [options]' : ''}`,
    '',
    cmd.summary,
  ];
  if (cmd.details) lines.push('', cmd.details);
  lines.push('', 'Options:');
  for (const [name, o] of Object.entries(opts)) {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(30)} ${o.description}${o.multiple ? ' (repeatable)' : ''}`);
  }
  return lines.join('\n');
}

export function overview(commands: Command[]): string {
  const lines = [
    'Siaga: incident response that runs the plan.',
    '',
    'Usage: siaga <command> [options]',
    '',
    'Commands:',
  ];
  for (const c of commands) lines.push(`  ${c.path.join(' ').padEnd(24)} ${c.summary}`);
  lines.push(
    '',
    'Admin commands work on the database directly (DATABASE_URL, or the embedded one in SIAGA_DATA_DIR).',
    'Responder commands talk to a running server: set SIAGA_URL (default http://localhost:8080) and SIAGA_TOKEN.',
    'Run `siaga <command> --help` for a command’s options; add --json for output scripts can read.',
  );
  return lines.join('\n');
}

export async function runCommands(commands: Command[], argv: string[], io: Io): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview(commands));
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version') {
    io.out('siaga 0.1.0');
    return 0;
  }
  // Longest matching command path wins ("plan apply" before "plan").
  const match = commands
    .filter((c) => c.path.every((p, i) => argv[i] === p))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!match) {
    const group = commands.filter((c) => c.path[0] === argv[0]);
    if (group.length > 0) {
      io.err(`siaga ${argv[0]}: expected one of ${group.map((c) => c.path.slice(1).join(' ')).join(', ')}`);
    } else {
      io.err(`siaga: unknown command "${argv[0]}". Run \`siaga --help\` for the list.`);
    }
    return 2;
  }
  const rest = argv.slice(match.path.length);
  let parsed: Parsed;
  try {
    const r = parseArgs({
      args: rest,
      options: { ...(match.options ?? {}), ...COMMON },
      allowPositionals: true,
      strict: true,
    });
    parsed = { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (err) {
    io.err(`siaga ${match.path.join(' ')}: ${(err as Error).message.replace(/\. To specify.*$/s, '')}`);
    io.err(`Run \`siaga ${match.path.join(' ')} --help\` for usage.`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(usage(match));
    return 0;
  }
  const required = (match.args ?? []).filter((a) => !a.startsWith('['));
  if (parsed.positionals.length < required.length) {
    io.err(`siaga ${match.path.join(' ')}: missing ${required.slice(parsed.positionals.length).join(' ')}`);
    io.err(usage(match));
    return 2;
  }
  const maxArgs = (match.args ?? []).some((a) => a.endsWith('...'))
    ? Number.POSITIVE_INFINITY
    : (match.args ?? []).length;
  if (parsed.positionals.length > maxArgs) {
    io.err(`siaga ${match.path.join(' ')}: unexpected argument "${parsed.positionals[maxArgs]}"`);
    return 2;
  }
  try {
    return await match.run(parsed, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.err(`error: ${err.message}`);
      for (const l of err.lines) io.err(`  ${l}`);
      return err.exitCode;
    }
    throw err;
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  if (Array.isArray(v))
    return v
      .flatMap((x) => x.split(','))
      .map((x) => x.trim())
      .filter(Boolean);
  return typeof v === 'string'
    ? v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** Left-aligned columns; the last column is not padded. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

/** A file the user named ("-" is stdin), or a message saying why it cannot be read. */
export async function readSource(io: Io, path: string): Promise<string> {
  try {
    return io.readInput ? await io.readInput(path) : await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}
