/**
 * Reading and validating the JSON annotation files of the dataset formats. Every failure names the
 * file: `IoError` (`VLP_IO`) when it cannot be read, `InvalidArgumentError` (`VLP_INVALID_ARGUMENT`,
 * with `path` set) when it is not JSON or lacks a field, with the JSON path of the bad value.
 */
import { readFile, stat } from 'node:fs/promises';
import { IoError, InvalidArgumentError } from '@vlp/core';

/** Reads `path` as UTF-8 text; `IoError` naming `what` and the file when it cannot be read. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'the file does not exist' : error instanceof Error ? error.message : String(error);
    throw new IoError({ message: `Cannot read the ${what} "${path}": ${reason}. Check the path.`, path, cause: error });
  }
}

/** Reads and parses a JSON file. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const text = await readTextFile(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidArgumentError({
      message: `The ${what} "${path}" is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`,
      path,
      cause: error,
    });
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Typed access to the values of one parsed JSON file; errors name the file and the JSON path. */
export class JsonFields {
  constructor(
    readonly path: string,
    readonly what: string,
    private readonly hint = '',
  ) {}

  /** Throws the error of a bad value at `at`. */
  fail(at: string, expected: string, actual: unknown): never {
    throw new InvalidArgumentError({
      message: `Malformed ${this.what} "${this.path}": ${at} must be ${expected} (found ${describe(actual)}).${this.hint ? ` ${this.hint}` : ''}`,
      path: this.path,
      expected,
      actual: typeof actual === 'object' && actual !== null ? describe(actual) : actual,
    });
  }

  object(value: unknown, at: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(at, 'an object', value);
    return value as Record<string, unknown>;
  }

  array(value: unknown, at: string): unknown[] {
    if (!Array.isArray(value)) this.fail(at, 'an array', value);
    return value;
  }

  string(value: unknown, at: string): string {
    if (typeof value !== 'string') this.fail(at, 'a string', value);
    return value;
  }

  integer(value: unknown, at: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(at, 'an integer', value);
    return value;
  }

  optionalString(value: unknown, at: string): string | undefined {
    return value === undefined ? undefined : this.string(value, at);
  }

  optionalInteger(value: unknown, at: string): number | undefined {
    return value === undefined ? undefined : this.integer(value, at);
  }
}

/** `IoError` unless `dir` is an existing directory. */
export async function checkDirectory(dir: string, what: string): Promise<void> {
  let isDir = false;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new IoError({ message: `The ${what} "${dir}" does not exist or cannot be read. Check the path.`, path: dir, cause: error });
  }
  if (!isDir) throw new IoError({ message: `The ${what} "${dir}" is not a directory.`, path: dir });
}

/** `IoError` naming the image and the annotation file that refers to it, for the first missing image. */
export async function checkImagesExist(images: readonly { imagePath: string; at: string }[], annotationPath: string): Promise<void> {
  const BATCH = 64;
  for (let i = 0; i < images.length; i += BATCH) {
    const batch = images.slice(i, i + BATCH);
    const found = await Promise.all(batch.map(({ imagePath }) => stat(imagePath).then((s) => s.isFile(), () => false)));
    const missing = found.indexOf(false);
    if (missing >= 0) {
      const { imagePath, at } = batch[missing];
      throw new IoError({
        message: `The image of ${at} in "${annotationPath}" is missing: "${imagePath}" does not exist. Check the image root directory.`,
        path: imagePath,
      });
    }
  }
}
