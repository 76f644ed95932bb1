import { endianness } from 'node:os';
import { dtypeByteSize, type SafetensorsDtype, type SafetensorsTypedArray } from './dtypes.js';
import { bfloat16BitsToFloat32, float16BitsToFloat32 } from './float16.js';

const BIG_ENDIAN_HOST = endianness() === 'BE';

/**
 * Views little-endian tensor bytes as the dtype's native typed array. `bytes` must start at
 * offset 0 of its own buffer (as the reader's fresh reads do), so the view is aligned; on a
 * big-endian host the bytes are swapped in place first.
 */
export function viewAs(dtype: SafetensorsDtype, bytes: Uint8Array): SafetensorsTypedArray {
  const size = dtypeByteSize(dtype);
  const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  if (BIG_ENDIAN_HOST && size > 1) swapInPlace(aligned, size);
  const { buffer, byteOffset } = aligned;
  const length = aligned.byteLength / size;
  switch (dtype) {
    case 'F64':
      return new Float64Array(buffer, byteOffset, length);
    case 'F32':
      return new Float32Array(buffer, byteOffset, length);
    case 'F16':
    case 'BF16':
    case 'U16':
      return new Uint16Array(buffer, byteOffset, length);
    case 'I64':
      return new BigInt64Array(buffer, byteOffset, length);
    case 'U64':
      return new BigUint64Array(buffer, byteOffset, length);
    case 'I32':
      return new Int32Array(buffer, byteOffset, length);
    case 'U32':
      return new Uint32Array(buffer, byteOffset, length);
    case 'I16':
      return new Int16Array(buffer, byteOffset, length);
    case 'I8':
      return new Int8Array(buffer, byteOffset, length);
    case 'U8':
    case 'BOOL':
      return aligned;
  }
}

/** Converts a decoded tensor to float32 (see `SafetensorsFile.readFloat32` for the rules). */
export function toFloat32(dtype: SafetensorsDtype, data: SafetensorsTypedArray): Float32Array {
  switch (dtype) {
    case 'F32':
      return data as Float32Array;
    case 'F16':
      return float16BitsToFloat32(data as Uint16Array);
    case 'BF16':
      return bfloat16BitsToFloat32(data as Uint16Array);
    case 'I64':
    case 'U64': {
      const source = data as BigInt64Array | BigUint64Array;
      const out = new Float32Array(source.length);
      for (let i = 0; i < source.length; i++) out[i] = Number(source[i]);
      return out;
    }
    default:
      return Float32Array.from(data as Exclude<SafetensorsTypedArray, BigInt64Array | BigUint64Array>);
  }
}

function swapInPlace(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}
