import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type WrkResult = { rps: number; p99: number; errors: number };

/** wrk's own path lookup, so the bench can fall back when it is missing. */
export function haveWrk(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Each wrk thread has its own Lua state: the thread number keeps query strings unique across threads.
const UNIQUE_LUA = `local count = 0
function setup(thread) thread:set("tid", count); count = count + 1 end
local n = 0
function request() n = n + 1; return wrk.format(nil, wrk.path .. "?v=" .. tid .. "-" .. n) end
`;

let luaPath: string | undefined;
function uniqueScript(): string {
  if (!luaPath) {
    luaPath = join(mkdtempSync(join(tmpdir(), 'siaga-wrk-')), 'unique.lua');
    writeFileSync(luaPath, UNIQUE_LUA);
  }
  return luaPath;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function ms(v: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v);
  return m ? Math.round(Number(m[1]) * UNIT_MS[m[2]!]! * 100) / 100 : Number.NaN;
}

/** Reads the figures out of wrk's text report (it has no machine-readable output without Lua). */
export function parseWrk(out: string): WrkResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
  const p99 = ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (sock ? sock.slice(1).reduce((a, x) => a + Number(x), 0) : 0);
  return { rps: Math.round(rps), p99, errors };
}

/** Two threads: the machine has two cores and wrk needs little of either. */
export function runWrk(url: string, o: { connections: number; seconds: number; unique: boolean }) {
  const args = ['-t2', `-c${o.connections}`, `-d${o.seconds}s`, '--latency'];
  if (o.unique) args.push('-s', uniqueScript());
  args.push(url);
  return new Promise<WrkResult>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(parseWrk(out)) : reject(new Error(`wrk exited with ${code}: ${out}`)),
    );
  });
}
