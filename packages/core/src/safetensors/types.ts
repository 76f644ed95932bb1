import type { SafetensorsDtype, SafetensorsTypedArray } from './dtypes.js';

/** One header entry of a safetensors file. */
export interface SafetensorsTensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  /** Dimensions, row-major; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** `[begin, end)` in bytes, relative to the start of the data section (as in the header). */
  readonly dataOffsets: readonly [number, number];
  /** `end - begin` = product(shape) × dtype size. */
  readonly byteLength: number;
}

/** A tensor decoded into its native typed array. */
export interface SafetensorsTensor {
  readonly dtype: SafetensorsDtype;
  /** A fresh copy of the shape, yours to keep or mutate. */
  readonly shape: number[];
  /**
   * Native typed array of the dtype: F16/BF16 as raw bits in a `Uint16Array`, BOOL as a
   * `Uint8Array` (bytes as stored), I64/U64 as `BigInt64Array`/`BigUint64Array`. Freshly allocated and aligned.
   */
  readonly data: SafetensorsTypedArray;
}

/**
 * An open safetensors checkpoint (one file or all shards of an index). The header is parsed and
 * validated up front; tensor data is read from disk on demand with positional reads, so memory
 * holds only the tensors you ask for. Call {@link SafetensorsFile.close} when done.
 *
 * Asking for a tensor name the checkpoint does not have throws `InvalidArgumentError`
 * (`VLP_INVALID_ARGUMENT`: the file is fine, the request is not), naming the file and how many
 * tensors it has.
 */
export interface SafetensorsFile {
  /** The `.safetensors` file, or the `*.index.json` of a sharded checkpoint. */
  readonly path: string;
  /**
   * `__metadata__` (string → string); `{}` when the header has none. For a sharded checkpoint:
   * the index's `metadata`, with non-string values (e.g. `total_size`) as their JSON text.
   */
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * The same metadata as entries in file order, or `undefined` when the header has no
   * `__metadata__` key. Pass it to `writeSafetensors` to reproduce the header exactly.
   */
  readonly metadataEntries: readonly (readonly [string, string])[] | undefined;
  /** Tensor names in header order (sharded: `weight_map` order). */
  readonly names: readonly string[];
  /** Header entry of `name`. */
  info(name: string): SafetensorsTensorInfo;
  has(name: string): boolean;
  /** The tensor's exact bytes from the file (little-endian), in a fresh aligned buffer. */
  readRaw(name: string): Promise<Uint8Array>;
  /** The tensor as its native typed array (see {@link SafetensorsTensor.data}). */
  read(name: string): Promise<SafetensorsTensor>;
  /**
   * The tensor as float32: F32 as is, F16/BF16 upcast exactly, F64 rounded to nearest, integer
   * and BOOL values converted (64-bit integers via `Number`, so beyond 2^53 they round).
   */
  readFloat32(name: string): Promise<Float32Array>;
  /** Closes the file handle(s). Reads after `close()` throw `InvalidArgumentError`. Idempotent. */
  close(): Promise<void>;
}

/** A checkpoint opened through its `model.safetensors.index.json`. */
export interface ShardedSafetensorsFile extends SafetensorsFile {
  /** Paths of the shard files (resolved against the index's directory), in first-use order of `weight_map`. */
  readonly shards: readonly string[];
  /** Path of the shard holding `name` (as in {@link ShardedSafetensorsFile.shards}). */
  shardOf(name: string): string;
}
