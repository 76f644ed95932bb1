import { describe, expect, it } from 'vitest';
import { centerCrop, resizeOutputSize } from './geometry.js';
import { pilResize } from './pil-resample.js';

describe('pilResize', () => {
  it('downsamples with the support-scaled bicubic filter (hand-computed 4 → 2)', () => {
    // Weights for output 0 over inputs 0..3: bicubic(±0.25), bicubic(0.75), bicubic(1.25) normalized by their sum
    // 1.890625: 255 · (0.2265625 − 0.0703125) / 1.890625 = 21.07 → 21; output 1 mirrors it: 233.93 → 234.
    const row = new Uint8Array([0, 0, 255, 255]);
    expect(Array.from(pilResize(row, 4, 1, 1, 2, 1, 3))).toEqual([21, 234]);
    // The vertical pass is the same filter along columns.
    expect(Array.from(pilResize(row, 1, 4, 1, 1, 2, 3))).toEqual([21, 234]);
  });

  it('clamps bicubic overshoot to 0..255 and keeps constant images constant', () => {
    // Upsampling a step 4 → 8 (support 2, no stretch): outputs 2 and 5 overshoot to −17.5 / 272.5 and clamp;
    // output 3 = 255 · (bicubic(0.75) + bicubic(1.75)) = 255 · 0.203125 = 51.8 → 52, output 4 mirrors it (203).
    const step = new Uint8Array([0, 0, 255, 255]);
    expect(Array.from(pilResize(step, 4, 1, 1, 8, 1, 3))).toEqual([0, 0, 0, 52, 203, 255, 255, 255]);
    const flat = new Uint8Array(5 * 7 * 3).fill(77);
    expect(pilResize(flat, 5, 7, 3, 3, 4, 3).every((v) => v === 77)).toBe(true);
  });

  it('supports the other PIL filters and rejects unknown ones', () => {
    const row = new Uint8Array([0, 100, 200, 250]);
    expect(Array.from(pilResize(row, 4, 1, 1, 2, 1, 4))).toEqual([50, 225]); // box: mean of pairs
    // Bilinear stretched to support 2: output 0 = (0·0.75 + 100·0.75 + 200·0.25) / 1.75 = 71.4,
    // output 1 = (100·0.25 + 200·0.75 + 250·0.75) / 1.75 = 207.1.
    expect(Array.from(pilResize(row, 4, 1, 1, 2, 1, 2))).toEqual([71, 207]);
    expect(Array.from(pilResize(row, 4, 1, 1, 2, 1, 0))).toEqual([100, 250]); // nearest: floor((x + 0.5) · 2)
    expect(() => pilResize(row, 4, 1, 1, 2, 1, 9)).toThrow(/Unsupported resample filter 9/);
  });

  it('returns a copy when the size does not change', () => {
    const img = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const out = pilResize(img, 2, 1, 3, 2, 1, 3);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out).not.toBe(img);
  });
});

describe('resizeOutputSize', () => {
  it('scales the shortest edge and truncates the other (transformers rounding)', () => {
    expect(resizeOutputSize(45, 60, { shortestEdge: 32 })).toEqual([32, 42]); // 60·32/45 = 42.67 → 42
    expect(resizeOutputSize(60, 45, { shortestEdge: 32 })).toEqual([42, 32]);
    expect(resizeOutputSize(50, 50, { shortestEdge: 32 })).toEqual([32, 32]);
    expect(resizeOutputSize(45, 60, { height: 7, width: 9 })).toEqual([7, 9]);
  });
});

describe('centerCrop', () => {
  it('crops at floor((orig − crop) / 2)', () => {
    const img = Uint8Array.from({ length: 5 }, (_, i) => i); // 1×5, one channel
    const out = centerCrop(img, 1, 5, 1, 1, 2);
    expect([out.height, out.width, ...out.data]).toEqual([1, 2, 1, 2]);
  });

  it('zero-pads an image smaller than the crop, centred', () => {
    const img = new Uint8Array([9, 8, 7, 6]); // 2×2
    const out = centerCrop(img, 2, 2, 1, 4, 4);
    expect([out.height, out.width]).toEqual([4, 4]);
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 0, 9, 8, 0, 0, 7, 6, 0, 0, 0, 0, 0]);
  });

  it('keeps transformers\' off-by-one when the padding is odd (2×2 cropped to 3×3 stays 2×2)', () => {
    const out = centerCrop(new Uint8Array([9, 8, 7, 6]), 2, 2, 1, 3, 3);
    expect([out.height, out.width, ...out.data]).toEqual([2, 2, 9, 8, 7, 6]);
  });
});
