import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { IoError, atomicWriteFile } from '@vlp/core';
import { encodePng } from '../image/png.js';
import type { RgbImage } from '../image/rgb-image.js';

/** How many PNG files are encoded and written concurrently (overlaps the per-file fsyncs). */
const IN_FLIGHT = 8;

/**
 * Writes PNG files atomically with bounded concurrency, creating directories as needed. `add`
 * waits while the pool is full; `done` waits for every write and rethrows the first failure.
 */
export class PngWriter {
  private readonly pending = new Set<Promise<void>>();
  private readonly dirs = new Set<string>();
  private failure: unknown;
  private failed = false;
  count = 0;

  async add(path: string, image: RgbImage): Promise<void> {
    this.throwIfFailed();
    while (this.pending.size >= IN_FLIGHT) await Promise.race(this.pending);
    this.throwIfFailed();
    const job = this.write(path, image).then(
      () => undefined,
      (error: unknown) => {
        if (!this.failed) {
          this.failed = true;
          this.failure = error;
        }
      },
    );
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
    this.count++;
  }

  async done(): Promise<void> {
    await Promise.all(this.pending);
    this.throwIfFailed();
  }

  private async write(path: string, image: RgbImage): Promise<void> {
    const dir = dirname(path);
    if (!this.dirs.has(dir)) {
      await ensureDirectory(dir);
      this.dirs.add(dir);
    }
    await atomicWriteFile(path, encodePng(image));
  }

  private throwIfFailed(): void {
    if (this.failed) throw this.failure;
  }
}

/** `mkdir -p`, as `IoError` naming the directory on failure. */
export async function ensureDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new IoError({
      message: `Cannot create the directory "${dir}": ${error instanceof Error ? error.message : String(error)}. Check the path and permissions.`,
      path: dir,
      cause: error,
    });
  }
}
