import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, IoError, VlpError } from '@vlp/core';

/** Options of {@link writeDirectoryAtomically}. */
export interface StageDirectoryOptions {
  /** Replace an existing non-empty directory (default `false`: refuse). */
  readonly overwrite?: boolean;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error';

function ioError(target: string, what: string, cause: unknown): IoError {
  return new IoError({
    message: `Cannot write "${target}": could not ${what} (${errno(cause)}: ${(cause as Error).message}). Choose a directory whose parent is a writable directory.`,
    path: target,
    cause,
  });
}

async function tryStat(p: string) {
  try {
    return await stat(p);
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Refuses a file, or a non-empty directory unless `overwrite`; returns whether `target` exists. */
async function checkTarget(target: string, overwrite: boolean): Promise<boolean> {
  let info;
  try {
    info = await tryStat(target);
  } catch (error) {
    throw ioError(target, 'inspect it', error);
  }
  if (info === undefined) return false;
  if (!info.isDirectory()) {
    throw new InvalidArgumentError({ message: `"${target}" exists and is not a directory. Choose a directory path.`, path: target });
  }
  const entries = await readdir(target).catch((error: unknown) => {
    throw ioError(target, 'list it', error);
  });
  if (entries.length > 0 && !overwrite) {
    throw new InvalidArgumentError({
      message: `"${target}" already exists and is not empty (${entries.length} entries). Pass { overwrite: true } to replace it, or choose a new directory.`,
      path: target,
    });
  }
  return true;
}

/** Moves the filled staging directory to `target`, replacing an existing one (restored on failure). */
async function place(staging: string, target: string, exists: boolean): Promise<void> {
  if (!exists) {
    await rename(staging, target).catch((error: unknown) => {
      throw ioError(target, `move "${staging}" to it`, error);
    });
    return;
  }
  const backup = `${staging}.old`;
  await rename(target, backup).catch((error: unknown) => {
    throw ioError(target, 'move the existing directory aside', error);
  });
  try {
    await rename(staging, target);
  } catch (error) {
    await rename(backup, target).catch(() => undefined);
    throw ioError(target, `move "${staging}" to it`, error);
  }
  await rm(backup, { recursive: true, force: true });
}

/**
 * Creates the directory `dir` with all its files at once: `fill` writes them into a fresh hidden
 * staging directory beside `dir` (same file system), which is then renamed to `dir`. On any
 * failure the staging directory (and any parent directories this call created) is removed and an
 * existing `dir` is left untouched, so no half-written directory is ever visible under `dir`.
 *
 * Throws `InvalidArgumentError` when `dir` is a file, or a non-empty directory without
 * `overwrite`; `IoError` naming `dir` when the location is not writable. Errors thrown by `fill`
 * pass through (non-vlp errors are wrapped in `IoError`).
 */
export async function writeDirectoryAtomically(dir: string, options: StageDirectoryOptions, fill: (staging: string) => Promise<void>): Promise<void> {
  const target = path.resolve(dir);
  const exists = await checkTarget(target, options.overwrite ?? false);
  const parent = path.dirname(target);
  const createdParent = await mkdir(parent, { recursive: true }).catch((error: unknown) => {
    throw ioError(target, `create its parent directory "${parent}"`, error);
  });
  let staging: string | undefined;
  try {
    staging = await mkdtemp(path.join(parent, `.${path.basename(target)}.vlp-staging-`)).catch((error: unknown) => {
      throw ioError(target, `create a staging directory in "${parent}"`, error);
    });
    await fill(staging).catch((error: unknown) => {
      throw VlpError.isInstance(error) ? error : ioError(target, 'write its files', error);
    });
    await place(staging, target, exists);
  } catch (error) {
    if (staging !== undefined) await rm(staging, { recursive: true, force: true });
    if (createdParent !== undefined) await rm(createdParent, { recursive: true, force: true });
    throw error;
  }
}
