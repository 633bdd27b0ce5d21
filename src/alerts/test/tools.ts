import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port nobody listens on right now, for a child process to bind. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export type Tool = { url: string; dir: string; pid: number; output: () => string; stop(): Promise<void> };

/** Starts a binary with files written into a fresh temp dir; `args` receives that dir. */
export async function startTool(
  bin: string,
  files: Record<string, string>,
  args: (dir: string) => string[],
  port: number,
): Promise<Tool> {
  const dir = await mkdtemp(join(tmpdir(), 'siaga-tool-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const child: ChildProcess = spawn(bin, args(dir), { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { url, dir, pid: child.pid!, output: () => log, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${bin} did not become ready:\n${log}`);
}

/** Polls until `check` returns a value (not undefined), or fails with what was last seen. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  ms = 45_000,
): Promise<T> {
  const until = performance.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
