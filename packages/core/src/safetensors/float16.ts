/**
 * Exact conversions between IEEE 754 binary16 (F16), bfloat16 (BF16) and float32, on raw bits.
 * Decoding is exact (every F16/BF16 value is representable in float32, NaN payloads included);
 * encoding rounds to nearest, ties to even.
 */

let halfTable: Uint32Array | undefined;

/** float32 bits of the binary16 value with bits `h` (exact: subnormals, ±0, ±Infinity, NaN payload). */
export function halfBitsToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >>> 10) & 0x1f;
  let mantissa = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0;
  // Subnormal half: normalise the mantissa into float32's implicit-bit form.
  let e = 113;
  while ((mantissa & 0x400) === 0) {
    mantissa <<= 1;
    e -= 1;
  }
  return (sign | (e << 23) | ((mantissa & 0x3ff) << 13)) >>> 0;
}

function table(): Uint32Array {
  if (halfTable === undefined) {
    halfTable = new Uint32Array(0x10000);
    for (let h = 0; h < 0x10000; h++) halfTable[h] = halfBitsToFloatBits(h);
  }
  return halfTable;
}

/** Upcasts F16 bits to float32 values, exactly. */
export function float16BitsToFloat32(bits: Uint16Array): Float32Array {
  const lut = table();
  const out = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = lut[bits[i]];
  return new Float32Array(out.buffer);
}

/** Upcasts BF16 bits to float32 values, exactly (a bfloat16 is the upper half of a float32). */
export function bfloat16BitsToFloat32(bits: Uint16Array): Float32Array {
  const out = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = bits[i] << 16;
  return new Float32Array(out.buffer);
}

/**
 * binary16 bits of the float32 with bits `f`, rounded to nearest even (overflow → ±Infinity).
 * Exact inverse of {@link halfBitsToFloatBits} on every half value, NaN payloads included.
 */
export function floatBitsToHalfBits(f: number): number {
  const sign = (f >>> 16) & 0x8000;
  const exponent = (f >>> 23) & 0xff;
  const mantissa = f & 0x7fffff;
  if (exponent === 0xff) {
    // Infinity stays Infinity; NaN keeps the top of its payload (made non-zero, so still a NaN).
    return mantissa === 0 ? sign | 0x7c00 : sign | 0x7c00 | (mantissa >>> 13 || 0x200);
  }
  const e = exponent - 112; // rebias 127 → 15
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal: rounds to ±0
    const full = mantissa | 0x800000;
    const shift = 14 - e;
    return sign | roundShift(full, shift);
  }
  // The carry of a round-up propagates into the exponent (and up to Infinity) as it should.
  return sign | roundShift((e << 23) | mantissa, 13);
}

function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/** bfloat16 bits of the float32 with bits `f`, rounded to nearest even (NaN stays NaN). */
export function floatBitsToBfloat16Bits(f: number): number {
  if ((f & 0x7fffffff) > 0x7f800000) return ((f >>> 16) | 0x40) & 0xffff;
  const unsigned = f >>> 0;
  const lsb = (unsigned >>> 16) & 1;
  return Math.floor((unsigned + 0x7fff + lsb) / 0x10000) & 0xffff;
}

/** Encodes float32 values as F16 bits (round to nearest even), e.g. to write an F16 tensor. */
export function float32ToFloat16Bits(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = floatBitsToHalfBits(bits[i]);
  return out;
}

/** Encodes float32 values as BF16 bits (round to nearest even), e.g. to write a BF16 tensor. */
export function float32ToBfloat16Bits(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = floatBitsToBfloat16Bits(bits[i]);
  return out;
}
