import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { adminCommands } from './commands/admin.ts';
import { afterCommands } from './commands/after.ts';
import { backupCommands } from './commands/backup.ts';
import { contactCommands } from './commands/contact.ts';
import { incidentCommands } from './commands/incident.ts';
import { oncallCommands } from './commands/oncall.ts';
import { peopleCommands } from './commands/people.ts';
import { statuspageCommands } from './commands/statuspage.ts';
import { type Command, type Io, runCommands } from './framework.ts';

export const COMMANDS: Command[] = [
  ...adminCommands,
  ...backupCommands,
  ...incidentCommands,
  ...peopleCommands,
  ...contactCommands,
  ...statuspageCommands,
  ...afterCommands,
  ...oncallCommands,
];

export function processIo(): Io {
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    env: process.env,
    readInput: (path) => (path === '-' ? text(process.stdin) : readFile(path, 'utf8')),
  };
}

export function runCli(argv: string[], io: Io = processIo()): Promise<number> {
  return runCommands(COMMANDS, argv, io);
}

if (import.meta.main) {
  // `siaga incident list | head` closes the pipe early; that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`siaga: unexpected error: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 70;
    },
  );
}
