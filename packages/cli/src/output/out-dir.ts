import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { IoError } from '@vlp/core';
import { usageError } from '../errors.js';

/** An output directory being written: files go to `staging`, `commit()` renames it to `dir`. */
export interface StagedDir {
  readonly dir: string;
  readonly staging: string;
  /** Moves the staging directory into place (replacing an empty or, with overwrite, any `dir`). */
  commit(): Promise<void>;
  /** Removes the staging directory (after a failure); `dir` is untouched. */
  discard(): Promise<void>;
}

/**
 * Checks `--out` before any work (an existing non-empty directory needs `overwrite`; the parent
 * must be creatable and writable) and creates a hidden staging directory beside it. Nothing appears
 * at `dir` until {@link StagedDir.commit}, so a failed or interrupted run writes nothing to `--out`.
 */
export async function stageOutDir(out: string, cwd: string, overwrite: boolean): Promise<StagedDir> {
  const dir = path.resolve(cwd, out);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw usageError(`--out ${dir} is a file; pass a directory path.`, { path: dir });
    if (readdirSync(dir).length > 0 && !overwrite) throw usageError(`--out ${dir} is not empty; choose a new directory or pass --overwrite to replace it.`, { path: dir });
  }
  const parent = path.dirname(dir);
  const staging = path.join(parent, `.${path.basename(dir)}.vlp-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(staging);
  } catch (cause) {
    throw new IoError({
      message: `Cannot write the output directory ${dir}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message} creating files in ${parent}. Pass an --out in a writable location.`,
      path: dir,
      cause,
    });
  }
  return {
    dir,
    staging,
    async commit() {
      if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
      await rename(staging, dir);
    },
    discard: () => rm(staging, { recursive: true, force: true }),
  };
}
