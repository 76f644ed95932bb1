import { describe, expect, it } from 'vitest';
import {
  bfloat16BitsToFloat32,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
  halfBitsToFloatBits,
} from './float16.js';

const f16 = (...bits: number[]) => Array.from(float16BitsToFloat32(Uint16Array.from(bits)));
const bf16 = (...bits: number[]) => Array.from(bfloat16BitsToFloat32(Uint16Array.from(bits)));

describe('F16 → float32 (hand-computed)', () => {
  it('normal numbers', () => {
    expect(f16(0x3c00, 0xc000, 0x3555, 0x7bff, 0x0400)).toEqual([
      1,
      -2,
      0.333251953125, // 0x3555 = (1 + 341/1024) · 2^-2
      65504, // largest finite half
      2 ** -14, // smallest normal
    ]);
  });

  it('subnormals', () => {
    expect(f16(0x0001, 0x0002, 0x03ff, 0x8001)).toEqual([2 ** -24, 2 ** -23, 1023 * 2 ** -24, -(2 ** -24)]);
  });

  it('zeros, infinities and NaN', () => {
    const [pz, nz, pinf, ninf, nan] = f16(0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00);
    expect(Object.is(pz, 0)).toBe(true);
    expect(Object.is(nz, -0)).toBe(true);
    expect(pinf).toBe(Infinity);
    expect(ninf).toBe(-Infinity);
    expect(nan).toBeNaN();
  });

  it('keeps the NaN payload and sign in the float32 bits', () => {
    expect(halfBitsToFloatBits(0x7c01)).toBe(0x7f802000);
    expect(halfBitsToFloatBits(0xfe00)).toBe(0xffc00000);
    const bits = new Uint32Array(float16BitsToFloat32(Uint16Array.of(0x7d00)).buffer);
    expect(bits[0]).toBe(0x7fa00000);
  });

  it('every half value survives F16 → F32 → F16', () => {
    const all = new Uint16Array(0x10000).map((_, i) => i);
    const back = float32ToFloat16Bits(float16BitsToFloat32(all));
    expect(back).toEqual(all);
  });
});

describe('BF16 → float32', () => {
  it('is the upper half of a float32', () => {
    expect(bf16(0x3f80, 0xc000, 0x4049, 0x0001, 0x7f7f)).toEqual([
      1,
      -2,
      3.140625, // 0x40490000
      2 ** -133, // float32 subnormal 0x00010000 = 2^16 · 2^-149
      3.3895313892515355e38, // 0x7f7f0000
    ]);
    const [inf, nan] = bf16(0xff80, 0x7fc0);
    expect(inf).toBe(-Infinity);
    expect(nan).toBeNaN();
  });
});

describe('float32 → F16 / BF16 (round to nearest even)', () => {
  it('rounds F16 correctly, including ties, overflow and underflow', () => {
    const values = Float32Array.of(1, -2, 65504, 65520, 1e6, 2 ** -24, 2 ** -25, 3 * 2 ** -25, 1 + 2 ** -11, 1 + 3 * 2 ** -11, NaN);
    expect(Array.from(float32ToFloat16Bits(values))).toEqual([
      0x3c00,
      0xc000,
      0x7bff,
      0x7c00, // 65520 is the tie between 65504 and 2^16: rounds (to even) to infinity
      0x7c00,
      0x0001,
      0x0000, // exactly half the smallest subnormal: tie to even → 0
      0x0002, // 1.5 · 2^-24 → ties to 2 · 2^-24
      0x3c00, // 1 + 2^-11 is a tie → even mantissa (1)
      0x3c02, // 1 + 3·2^-11 is a tie → even mantissa (1 + 2^-9)
      0x7e00,
    ]);
  });

  it('rounds BF16 to nearest even', () => {
    const bits = Uint32Array.of(0x3f800000, 0x3f808000, 0x3f818000, 0x3f808001, 0x7f7fffff, 0x7fc00001);
    expect(Array.from(float32ToBfloat16Bits(new Float32Array(bits.buffer)))).toEqual([
      0x3f80,
      0x3f80, // tie → even
      0x3f82, // tie → even (up)
      0x3f81, // above the tie → up
      0x7f80, // rounds up to infinity
      0x7fc0, // NaN stays NaN
    ]);
  });
});
