import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IoError } from '../errors/index.js';

/** Writes one chunk to the file being written (awaits until the whole chunk is written). */
export type AtomicChunkWriter = (chunk: Uint8Array) => Promise<void>;

/**
 * What {@link atomicWriteFile} writes: a string (UTF-8), bytes, a list of byte chunks, or a
 * producer that streams chunks through the given writer (so large outputs need not be
 * concatenated in memory).
 */
export type AtomicWriteData = string | Uint8Array | readonly Uint8Array[] | ((write: AtomicChunkWriter) => Promise<void>);

/** Options of {@link atomicWriteFile}. */
export interface AtomicWriteOptions {
  /** Permission bits of the new file (before the umask); default `0o666`. */
  readonly mode?: number;
}

/**
 * Writes `path` atomically: the data goes to a uniquely named temporary file in the same
 * directory (`.<name>.<pid>.<random>.tmp`), which is fsynced, closed and renamed over `path`;
 * the directory is then fsynced (best effort). Readers see either the old file or the complete
 * new one. On any failure the temporary file is removed and `path` is left untouched.
 *
 * OS failures throw `IoError` (`VLP_IO`) naming `path`; an error thrown by a producer function is
 * rethrown unchanged.
 */
export async function atomicWriteFile(path: string, data: AtomicWriteData, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path).slice(0, 120)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await osStep(path, `create a temporary file in "${dir}"`, () => open(temp, 'wx', options.mode ?? 0o666));
    const file = handle;
    const write: AtomicChunkWriter = (chunk) => osStep(path, 'write', () => writeAll(file, chunk));
    if (typeof data === 'function') await data(write);
    else if (typeof data === 'string') await write(Buffer.from(data, 'utf8'));
    else if (ArrayBuffer.isView(data)) await write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    else for (const chunk of data) await write(chunk);
    await osStep(path, 'fsync', () => file.sync());
    handle = undefined;
    await osStep(path, 'close', () => file.close());
    await osStep(path, `rename "${temp}" to it`, () => rename(temp, path));
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let done = 0;
  while (done < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, done, chunk.byteLength - done);
    done += bytesWritten;
  }
}

async function osStep<T>(path: string, what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new IoError({
      message: `Writing "${path}" failed (could not ${what}): ${reason}. Check that the directory exists, is writable and has free space.`,
      path,
      cause: error,
    });
  }
}

/** Makes the rename durable; not possible on every platform (e.g. Windows), hence best effort. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // ignored: the file itself is already durable
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
