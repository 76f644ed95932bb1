import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BenchLockedError } from '../errors/bench-errors.js';
import { tempDir } from '../__tests__/helpers.js';
import { acquireRunLock } from './lock.js';

describe('acquireRunLock', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const dir = () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };

  it('refuses a second lock on the same directory while the first is held, then allows it after release', async () => {
    const d = dir();
    const lock = await acquireRunLock(d);
    expect(JSON.parse(readFileSync(path.join(d, '.lock'), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    const error = await acquireRunLock(d).catch((e: unknown) => e);
    expect(BenchLockedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`Another vlp bench run \\(pid ${process.pid} on .*\\) is writing ${d}`));
    await lock.release();
    expect(existsSync(path.join(d, '.lock'))).toBe(false);
    await (await acquireRunLock(d)).release();
  });

  it('takes over the lock of a process that no longer exists (a SIGKILLed run)', async () => {
    const d = dir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(path.join(d, '.lock'), JSON.stringify({ pid: Number(dead), host: os.hostname(), startedAt: 'earlier' }));
    const warnings: string[] = [];
    const lock = await acquireRunLock(d, (m) => warnings.push(m));
    expect(warnings[0]).toMatch(new RegExp(`stale lock of pid ${dead}`));
    await lock.release();
  });

  it('refuses a lock held by another host (its process cannot be checked)', async () => {
    const d = dir();
    writeFileSync(path.join(d, '.lock'), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'then' }));
    await expect(acquireRunLock(d)).rejects.toThrowError(/pid 1 on elsewhere, started then/);
  });
});
