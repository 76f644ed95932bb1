import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFileNotFoundError } from '../errors/index.js';
import { readShardedSafetensors, SAFETENSORS_INDEX_FILE } from './sharded.js';
import { openSafetensorsFile } from './single.js';
import type { SafetensorsFile } from './types.js';

/** File name of unsharded weights in a Hugging Face model directory. */
export const SAFETENSORS_WEIGHTS_FILE = 'model.safetensors';

/**
 * Opens a safetensors checkpoint and validates its header(s); tensors are read on demand.
 *
 * `path` may be
 * - a `.safetensors` file;
 * - a shard index (any path ending in `.json`, e.g. `model.safetensors.index.json`), opened with
 *   {@link readShardedSafetensors};
 * - a model directory: its `model.safetensors` if present, else its `model.safetensors.index.json`
 *   (`ModelFileNotFoundError` if it has neither).
 *
 * Throws `BadSafetensorsError` (`VLP_BAD_SAFETENSORS`) for a malformed file or index, naming the
 * file and, where one is involved, the tensor; `IoError` if the file cannot be opened.
 *
 * @example
 * const file = await readSafetensors('clip/model.safetensors');
 * try { const w = await file.readFloat32(file.names[0]); } finally { await file.close(); }
 */
export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  if (path.endsWith('.json')) return readShardedSafetensors(path);
  if (!(await isDirectory(path))) return openSafetensorsFile(path);
  const weights = join(path, SAFETENSORS_WEIGHTS_FILE);
  if (await exists(weights)) return openSafetensorsFile(weights);
  const index = join(path, SAFETENSORS_INDEX_FILE);
  if (await exists(index)) return readShardedSafetensors(index);
  throw new ModelFileNotFoundError({
    message:
      `Model directory "${path}" has neither "${SAFETENSORS_WEIGHTS_FILE}" nor "${SAFETENSORS_INDEX_FILE}". ` +
      'Download the safetensors weights into it (or convert pytorch_model.bin with safetensors.torch.save_file).',
    path,
    expected: [SAFETENSORS_WEIGHTS_FILE, SAFETENSORS_INDEX_FILE],
  });
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false; // let the file open report the OS error
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
