import { open, readFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { IoError } from '@vlp/core';
import { BenchLockedError } from '../errors/bench-errors.js';

/** The lock of a run directory; `release()` removes it. */
export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(file: string): Promise<{ text: string; info: LockInfo | undefined } | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    try {
      return { text, info: JSON.parse(text) as LockInfo };
    } catch {
      return { text, info: undefined };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Takes `<dir>/.lock` (created exclusively; holds pid, host and start time). A lock held by a live
 * process on this host — this process included — is refused with `BenchLockedError`; a lock left by
 * a process that no longer exists (a SIGKILLed run) is taken over; a lock from another host is
 * refused (its process cannot be checked). A half-written lock younger than 5 s counts as held.
 */
export async function acquireRunLock(dir: string, onStale?: (message: string) => void): Promise<RunLock> {
  const file = path.join(dir, '.lock');
  const me: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${JSON.stringify(me)}\n`);
      await handle.sync();
      await handle.close();
      let released = false;
      return {
        file,
        async release() {
          if (released) return;
          released = true;
          const current = await readLock(file).catch(() => undefined);
          if (current?.info?.pid === me.pid && current.info.startedAt === me.startedAt) await unlink(file).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new IoError({ message: `Cannot create the run lock ${file}: ${(error as Error).message}. Check that the directory is writable.`, path: file, cause: error });
      }
    }
    const held = await readLock(file);
    if (!held) continue; // released meanwhile
    const info = held.info;
    if (!info || typeof info.pid !== 'number') {
      await new Promise((r) => setTimeout(r, 200));
      const again = await readLock(file);
      if (again && again.text === held.text) throw new BenchLockedError({ path: dir, holderPid: -1, holderHost: 'unknown', startedAt: 'unknown (unreadable .lock)' });
      continue;
    }
    if (info.host !== me.host || alive(info.pid)) {
      throw new BenchLockedError({ path: dir, holderPid: info.pid, holderHost: info.host, startedAt: info.startedAt });
    }
    // Stale: its process is gone. Remove it only if it is still the same lock.
    const now = await readLock(file);
    if (now?.text === held.text) {
      await unlink(file).catch(() => undefined);
      onStale?.(`Took over the stale lock of pid ${info.pid} (started ${info.startedAt}), which no longer runs.`);
    }
  }
  throw new IoError({ message: `Could not take the run lock ${file} after 3 attempts; another run keeps taking it.`, path: file });
}
