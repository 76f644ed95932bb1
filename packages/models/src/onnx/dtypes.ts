import { endianness } from 'node:os';
import { invalidArgument, notSupported } from './errors.js';

/** Element types the writer supports, named as in onnxruntime-common's `Tensor.Type`. */
export type OnnxDType = 'float32' | 'int64' | 'int32' | 'bool' | 'uint8';

/** Typed arrays holding tensor data: `BigInt64Array` for int64, `Uint8Array` for bool (0/1) and uint8. */
export type TensorDataArray = Float32Array | BigInt64Array | Int32Array | Uint8Array;

/**
 * `TensorProto.DataType` codes from onnx.proto (FLOAT=1, UINT8=2, INT8=3, UINT16=4, INT16=5, INT32=6,
 * INT64=7, STRING=8, BOOL=9, FLOAT16=10, DOUBLE=11, UINT32=12, UINT64=13, …, BFLOAT16=16).
 */
export const ONNX_DATA_TYPE: Readonly<Record<OnnxDType, number>> = {
  float32: 1,
  uint8: 2,
  int32: 6,
  int64: 7,
  bool: 9,
};

/** Bytes per element of each supported dtype (bool is one byte per element, as raw_data requires). */
export const DTYPE_BYTES: Readonly<Record<OnnxDType, number>> = {
  float32: 4,
  uint8: 1,
  int32: 4,
  int64: 8,
  bool: 1,
};

/** The `OnnxDType` of an ONNX `TensorProto.DataType` code, or `undefined` for unsupported codes. */
export function dtypeFromOnnx(code: number): OnnxDType | undefined {
  for (const [k, v] of Object.entries(ONNX_DATA_TYPE)) if (v === code) return k as OnnxDType;
  return undefined;
}

/** The dtype a typed array stores by default (`Uint8Array` → `uint8`; pass `bool` explicitly). */
export function dtypeOfArray(data: TensorDataArray): OnnxDType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'uint8';
  throw invalidArgument('Tensor data must be a Float32Array, BigInt64Array, Int32Array or Uint8Array.');
}

/** Whether `data` is the typed array `dtype` is stored in. */
export function arrayMatchesDType(data: TensorDataArray, dtype: OnnxDType): boolean {
  switch (dtype) {
    case 'float32':
      return data instanceof Float32Array;
    case 'int64':
      return data instanceof BigInt64Array;
    case 'int32':
      return data instanceof Int32Array;
    case 'bool':
    case 'uint8':
      return data instanceof Uint8Array;
  }
}

/** Product of `dims`, validating that each is a non-negative safe integer. */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw invalidArgument(`Invalid tensor dimension ${String(d)} in [${dims.join(', ')}].`);
    n *= d;
  }
  return n;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * The little-endian bytes of `data` (as ONNX `raw_data` requires), as a view (no copy). Big-endian hosts
 * are rejected with `VLP_NOT_SUPPORTED`.
 */
export function rawBytes(data: TensorDataArray): Uint8Array {
  if (!LITTLE_ENDIAN) throw notSupported('ONNX raw_data is little-endian; big-endian hosts are not supported.');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
