/**
 * Exact k-th smallest |w| over several float32 tensors without concatenating them (the official
 * code's `torch.kthvalue(torch.cat(|W|), k)`), by a two-pass radix selection on the IEEE-754 bit
 * patterns: for non-negative float32 values the order of the bit patterns (sign bit cleared) is the
 * order of the values. O(N) time, O(2¹⁶) extra memory, whatever N is.
 */
import { InvalidArgumentError } from '@vlp/core';

const ABS = 0x7fffffff;
const NAN_FLOOR = 0x7f800000; // bit patterns above this (sign cleared) are NaN

/** A k-th smallest magnitude: its float value and its bit pattern with the sign cleared. */
export interface MagnitudeValue {
  readonly value: number;
  readonly bits: number;
}

/** The bits of a float32 tensor (no copy). */
export function float32Bits(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/** The float32 value of a magnitude's bit pattern. */
function valueOf(bits: number): number {
  return new Float32Array(Uint32Array.of(bits).buffer)[0];
}

function checkNoNaN(bits: Uint32Array, where: number): void {
  for (let i = 0; i < bits.length; i++) {
    if ((bits[i] & ABS) > NAN_FLOOR) {
      throw new InvalidArgumentError({
        message: `Weight tensor #${where} holds NaN at flat index ${i}; magnitudes of NaN cannot be ranked. Fix the checkpoint or the weights set on the view.`,
        actual: 'NaN',
      });
    }
  }
}

/** Index of the bin where the running count first reaches `k`, and the count before it. */
function findBin(histogram: Uint32Array | Float64Array, k: number): { bin: number; before: number } {
  let before = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    if (before + histogram[bin] >= k) return { bin, before };
    before += histogram[bin];
  }
  return { bin: histogram.length - 1, before };
}

/**
 * The `k`-th smallest (1-based) of `|w|` over all entries of `tensors`, i.e. `kthvalue(cat(|W|), k)`.
 * Throws `VLP_INVALID_ARGUMENT` when `k` is not an integer in [1, total entries] or a weight is NaN.
 */
export function kthSmallestMagnitude(tensors: readonly Float32Array[], k: number): MagnitudeValue {
  const all = tensors.map(float32Bits);
  all.forEach(checkNoNaN);
  const total = all.reduce((n, b) => n + b.length, 0);
  if (!Number.isSafeInteger(k) || k < 1 || k > total) {
    throw new InvalidArgumentError({ message: `k must be an integer in [1, ${total}] (got ${k}).`, expected: `[1, ${total}]`, actual: k });
  }
  const high = new Float64Array(1 << 15);
  for (const bits of all) for (let i = 0; i < bits.length; i++) high[(bits[i] & ABS) >>> 16]++;
  const h = findBin(high, k);
  const low = new Float64Array(1 << 16);
  for (const bits of all) {
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i] & ABS;
      if (b >>> 16 === h.bin) low[b & 0xffff]++;
    }
  }
  const l = findBin(low, k - h.before);
  const bits = ((h.bin << 16) | l.bin) >>> 0;
  return { value: valueOf(bits), bits };
}

/** How many entries of one tensor have `|w|` below, and equal to, a magnitude (by bit pattern). */
export function countAgainst(tensor: Float32Array, threshold: MagnitudeValue): { less: number; equal: number } {
  const bits = float32Bits(tensor);
  let less = 0;
  let equal = 0;
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i] & ABS;
    if (b < threshold.bits) less++;
    else if (b === threshold.bits) equal++;
  }
  return { less, equal };
}
