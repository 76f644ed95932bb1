import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, IoError } from '@vlp/core';

/** Reads `dir/name` as UTF-8, or `undefined` when the file does not exist. */
export async function readTextIfExists(dir: string, name: string): Promise<string | undefined> {
  const file = path.join(dir, name);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new IoError({ message: `Cannot read ${file}: ${(error as Error).message}`, path: file, cause: error });
  }
}

/** Reads and parses `dir/name` as a JSON object, or `undefined` when the file does not exist. */
export async function readJsonIfExists(dir: string, name: string): Promise<Record<string, unknown> | undefined> {
  const text = await readTextIfExists(dir, name);
  if (text === undefined) return undefined;
  const file = path.join(dir, name);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError({
      message: `${file} is not valid JSON (${(error as Error).message}); restore it from the original checkpoint.`,
      path: file,
      cause: error,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({ message: `${file} must hold a JSON object.`, path: file });
  }
  return value as Record<string, unknown>;
}
