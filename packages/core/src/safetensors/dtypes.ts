/**
 * The safetensors element types vlp reads and writes, with their byte sizes and the order the
 * official `safetensors` library uses when it lays tensors out (descending alignment rank).
 */

/** A safetensors dtype (the `dtype` string of a header entry). */
export type SafetensorsDtype =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U64'
  | 'U32'
  | 'U16'
  | 'U8'
  | 'BOOL';

/** The typed array each dtype is returned as (F16/BF16 as raw bits in a `Uint16Array`, BOOL as `Uint8Array`). */
export type SafetensorsTypedArray =
  | Float64Array
  | Float32Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

interface DtypeSpec {
  /** Bytes per element. */
  readonly size: number;
  /**
   * Position in the Rust `safetensors::Dtype` enum (which derives `Ord`); the official writer
   * sorts tensors by this rank, descending, then by name.
   */
  readonly rank: number;
  /** `Symbol.toStringTag` of the native typed array for this dtype. */
  readonly arrayTag: string;
}

/*
 * Ranks follow the declaration order of `safetensors::Dtype`:
 * BOOL < (F4, F6_*) < U8 < I8 < (F8_*) < I16 < U16 < F16 < BF16 < I32 < U32 < F32 < (C64) < F64 < I64 < U64.
 * Only the relative order matters; the gaps are the dtypes vlp does not support.
 */
const SPECS: Readonly<Record<SafetensorsDtype, DtypeSpec>> = {
  BOOL: { size: 1, rank: 0, arrayTag: 'Uint8Array' },
  U8: { size: 1, rank: 4, arrayTag: 'Uint8Array' },
  I8: { size: 1, rank: 5, arrayTag: 'Int8Array' },
  I16: { size: 2, rank: 11, arrayTag: 'Int16Array' },
  U16: { size: 2, rank: 12, arrayTag: 'Uint16Array' },
  F16: { size: 2, rank: 13, arrayTag: 'Uint16Array' },
  BF16: { size: 2, rank: 14, arrayTag: 'Uint16Array' },
  I32: { size: 4, rank: 15, arrayTag: 'Int32Array' },
  U32: { size: 4, rank: 16, arrayTag: 'Uint32Array' },
  F32: { size: 4, rank: 17, arrayTag: 'Float32Array' },
  F64: { size: 8, rank: 19, arrayTag: 'Float64Array' },
  I64: { size: 8, rank: 20, arrayTag: 'BigInt64Array' },
  U64: { size: 8, rank: 21, arrayTag: 'BigUint64Array' },
};

/** Every supported dtype, in the official writer's layout order (largest rank first). */
export const SAFETENSORS_DTYPES: readonly SafetensorsDtype[] = (Object.keys(SPECS) as SafetensorsDtype[]).sort(
  (a, b) => SPECS[b].rank - SPECS[a].rank,
);

/** True if `value` is a dtype string vlp supports. */
export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SPECS, value);
}

/** Bytes per element of `dtype`. */
export function dtypeByteSize(dtype: SafetensorsDtype): number {
  return SPECS[dtype].size;
}

/** Layout rank of `dtype` (see {@link SAFETENSORS_DTYPES}); internal to the writer. */
export function dtypeRank(dtype: SafetensorsDtype): number {
  return SPECS[dtype].rank;
}

/** `Symbol.toStringTag` of the typed array matching `dtype`; internal to reader and writer. */
export function dtypeArrayTag(dtype: SafetensorsDtype): string {
  return SPECS[dtype].arrayTag;
}
