import { atomicWriteFile } from '../fs/atomic-write.js';
import {
  layoutSafetensors,
  type SafetensorsMetadataInput,
  type SafetensorsTensorsInput,
  type SafetensorsWriteOptions,
} from './layout.js';

/**
 * Writes a safetensors file atomically (temporary file in the same directory, fsync, rename; on
 * failure nothing is left behind and an existing `path` is untouched).
 *
 * Format: 8-byte little-endian header length `N`, `N` bytes of JSON header (`__metadata__` first,
 * if `metadata` is given, then one `{"dtype","shape","data_offsets"}` entry per tensor) padded with
 * spaces to a multiple of 8, then the tensor bytes back to back. With the default
 * `order: 'canonical'` the layout is the official library's (by dtype, then name), so reading a file
 * written by `safetensors` and writing it back with `metadata = file.metadataEntries` reproduces it
 * byte for byte. Tensor data is streamed to disk, not concatenated in memory.
 *
 * Throws `InvalidArgumentError` for bad input (unknown dtype, byte length ≠ product(shape) × dtype
 * size, duplicate name, non-string metadata, ...) and `IoError` if the file cannot be written.
 *
 * @param metadata `__metadata__`: a string record, or entries (e.g. a `Map`) to fix the key order;
 *   omit it to write no `__metadata__` key at all.
 */
export async function writeSafetensors(
  path: string,
  tensors: SafetensorsTensorsInput,
  metadata?: SafetensorsMetadataInput,
  options?: SafetensorsWriteOptions,
): Promise<void> {
  const layout = layoutSafetensors(tensors, metadata, options, path);
  await atomicWriteFile(path, async (write) => {
    await write(layout.head);
    for (const chunk of layout.chunks) await write(chunk);
  });
}

/**
 * The bytes {@link writeSafetensors} would write, in memory (for small files, tests and uploads).
 * Same validation and layout rules; throws `InvalidArgumentError` for bad input.
 */
export function serializeSafetensors(
  tensors: SafetensorsTensorsInput,
  metadata?: SafetensorsMetadataInput,
  options?: SafetensorsWriteOptions,
): Uint8Array {
  const layout = layoutSafetensors(tensors, metadata, options);
  const out = new Uint8Array(layout.byteLength);
  out.set(layout.head, 0);
  let offset = layout.head.byteLength;
  for (const chunk of layout.chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
