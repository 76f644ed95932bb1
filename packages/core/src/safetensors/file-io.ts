import { open, type FileHandle } from 'node:fs/promises';
import { IoError } from '../errors/index.js';
import { badFile } from './bad.js';

/** Opens `path` for reading; OS failures become `IoError` naming the file. */
export async function openForReading(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw new IoError({
      message: `Cannot open safetensors file "${path}": ${describeOsError(error)}. Check that the path exists and is readable.`,
      path,
      cause: error,
    });
  }
}

/** Size in bytes of the open file. */
export async function fileSize(handle: FileHandle, path: string): Promise<number> {
  try {
    return (await handle.stat()).size;
  } catch (error) {
    throw new IoError({ message: `Cannot stat "${path}": ${describeOsError(error)}.`, path, cause: error });
  }
}

/**
 * Reads exactly `length` bytes at `position` into a fresh (hence aligned) buffer, looping over
 * short reads. A file that ends early (changed since it was opened) is a `BadSafetensorsError`.
 */
export async function readExactly(
  handle: FileHandle,
  position: number,
  length: number,
  path: string,
  tensor?: string,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(out, done, length - done, position + done));
    } catch (error) {
      throw new IoError({
        message: `Reading ${length} bytes at offset ${position} of "${path}" failed: ${describeOsError(error)}.`,
        path,
        tensor,
        cause: error,
      });
    }
    if (bytesRead === 0) {
      throw badFile(
        path,
        `the file ended at byte ${position + done} while reading ${length} bytes at offset ${position}`,
        'The file was truncated or replaced while open: open it again.',
        tensor,
      );
    }
    done += bytesRead;
  }
  return out;
}

/** `code: message` of a Node error, or its string form. */
export function describeOsError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
