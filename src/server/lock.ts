import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Who holds the embedded database: written into the lock file so others can say so. */
export type LockHolder = { pid: number; command: string; url?: string; started_at: string };

export class DataDirLocked extends Error {
  readonly holder: LockHolder;
  constructor(dir: string, holder: LockHolder) {
    super(
      `the embedded database in ${dir} is in use by \`siaga ${holder.command}\` (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''})`,
    );
    this.holder = holder;
  }
}

export function lockPath(dataDir: string): string {
  return join(dataDir, 'siaga.lock');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dataDir: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockHolder;
    return alive(holder.pid) ? holder : null;
  } catch {
    return null;
  }
}

/**
 * PGlite does not lock its directory and two writers corrupt it, so Siaga does: an exclusive
 * lock file naming the holder. A lock left by a process that died is taken over.
 */
export function acquireLock(dataDir: string, info: Omit<LockHolder, 'pid' | 'started_at'>): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const mine: LockHolder = { pid: process.pid, started_at: new Date().toISOString(), ...info };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(mine));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          const current = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
          if (current.pid === process.pid) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(dataDir);
      if (holder) throw new DataDirLocked(dataDir, holder);
      try {
        unlinkSync(path);
      } catch {
        // Another process removed the stale lock first; try again.
      }
    }
  }
  const holder = readLock(dataDir);
  if (holder) throw new DataDirLocked(dataDir, holder);
  throw new Error(`could not lock ${dataDir}`);
}

/** Updates the holder's advertised URL once the server knows its port. */
export function advertise(dataDir: string, url: string): void {
  const path = lockPath(dataDir);
  const holder = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  if (holder.pid !== process.pid) return;
  const fd = openSync(path, 'w');
  writeSync(fd, JSON.stringify({ ...holder, url }));
  closeSync(fd);
}
