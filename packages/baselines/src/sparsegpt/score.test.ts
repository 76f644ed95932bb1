import { VlpError, isNMPattern } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { gram, inverse, quadraticError, seeded, trailing } from '../__tests__/linear-algebra.js';
import { magnitudeScores } from '../magnitude/score.js';
import { wandaMask, wandaScores } from '../wanda/score.js';
import { hessianFromGram } from './hessian.js';
import { sparseGptPrune } from './score.js';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('sparseGptPrune', () => {
  it('with a diagonal Hessian prunes the lowest w²·H_jj and updates nothing (hand-computed 3×4)', () => {
    const w = Float32Array.from([1, -2, 3, -4, 0.5, 0.5, -1, 2, -3, 1, 0, 1]);
    const h = new Float64Array(16);
    [4, 1, 0.25, 9].forEach((v, j) => (h[j * 4 + j] = v));
    // saliencies w²/U_jj² = w²·H_jj: [4, 4, 2.25, 144 | 1, .25, .25, 36 | 36, 1, 0, 9]; the six lowest go.
    const result = sparseGptPrune(w, [3, 4], h, { sparsity: 0.5, dampening: 0 });
    expect(Array.from(result.mask)).toEqual([1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1]);
    expect(Array.from(result.weight)).toEqual([1, -2, 0, -4, 0, 0, 0, 2, -3, 0, 0, 1]);
    expect(result.error).toBeCloseTo((2.25 + 1 + 0.25 + 0.25 + 1 + 0) / 2, 12);
  });

  // A correlated 4×4 Hessian; pruning one weight of a 1×4 row.
  const H = Float64Array.from([4, 2, 1, 0.5, 2, 5, 1, 1, 1, 1, 3, 0.5, 0.5, 1, 0.5, 2]);

  it('equals the exact OBS update δ = −w_q/[H⁻¹]_qq · H⁻¹[:, q] when the first column is pruned', () => {
    const w = Float32Array.from([0.05, 1, -0.8, 0.6]);
    const result = sparseGptPrune(w, [1, 4], H, { sparsity: 0.25, dampening: 0 });
    expect(Array.from(result.mask)).toEqual([0, 1, 1, 1]);
    const hInv = inverse(H, 4);
    const obs = Array.from(w, (v, j) => v - (w[0] / hInv[0]) * hInv[j * 4]);
    result.weight.forEach((v, j) => expect(v).toBeCloseTo(obs[j], 6));
    expect(result.weight[0]).toBe(0);
    // Brute force: minimise (ŵ − w) H (ŵ − w)ᵀ with ŵ₀ = 0 → H_FF ŵ_F = (H w)_F.
    const hw = [1, 2, 3].map((i) => [0, 1, 2, 3].reduce((s, j) => s + H[i * 4 + j] * w[j], 0));
    const hff = inverse(trailing(H, 4, 1), 3);
    const brute = [0, 1, 2].map((i) => hff[i * 3] * hw[0] + hff[i * 3 + 1] * hw[1] + hff[i * 3 + 2] * hw[2]);
    brute.forEach((v, i) => expect(result.weight[i + 1]).toBeCloseTo(v, 6));
    // Its error estimate is the added loss w_q² / (2 [H⁻¹]_qq) = ½ δ H δᵀ.
    expect(result.error).toBeCloseTo(w[0] ** 2 / (2 * hInv[0]), 9);
    expect(result.error).toBeCloseTo(quadraticError(w, result.weight, H, 1, 4) / 2, 6);
  });

  it('for a later column, is the OBS update over the columns not yet fixed (sequential OBS)', () => {
    const w = Float32Array.from([1, -0.9, 0.02, 0.7]);
    const result = sparseGptPrune(w, [1, 4], H, { sparsity: 0.25, dampening: 0 });
    expect(Array.from(result.mask)).toEqual([1, 1, 0, 1]);
    const sub = inverse(trailing(H, 4, 2), 2);
    const expected = [w[0], w[1], 0, w[3] - (w[2] / sub[0]) * sub[2]];
    result.weight.forEach((v, j) => expect(v).toBeCloseTo(expected[j], 6));
    expect(result.error).toBeCloseTo(w[2] ** 2 / (2 * sub[0]), 9);
  });

  it('reconstructs random layers better than Wanda and magnitude at the same sparsity', () => {
    const rand = seeded(7);
    const [rows, cols, tokens] = [16, 64, 256];
    const mix = Float64Array.from({ length: cols * cols }, (_, i) => (i % (cols + 1) === 0 ? 1 : 0) + 0.4 * rand());
    const z = Float64Array.from({ length: tokens * cols }, rand);
    const x = new Float64Array(tokens * cols);
    for (let t = 0; t < tokens; t++) for (let j = 0; j < cols; j++) for (let k = 0; k < cols; k++) x[t * cols + j] += z[t * cols + k] * mix[k * cols + j] * (1 + (j % 5));
    const w = Float32Array.from({ length: rows * cols }, rand);
    const g = gram(x, tokens, cols);
    const h = hessianFromGram(g, tokens);
    const sumSquares = Array.from({ length: cols }, (_, j) => g[j * cols + j]);
    const errorOf = (pruned: ArrayLike<number>) => quadraticError(w, pruned, g, rows, cols);
    const masked = (mask: Uint8Array) => w.map((v, i) => (mask[i] ? v : 0));
    for (const sparsity of [0.5, 0.75]) {
      for (const blockSize of [128, 16]) {
        const sparse = sparseGptPrune(w, [rows, cols], h, { sparsity, blockSize });
        expect(sparse.mask.filter((m) => m === 0)).toHaveLength(Math.floor(sparsity * rows * cols));
        const wandaError = errorOf(masked(wandaMask(wandaScores(w, sumSquares), [rows, cols], { sparsity })));
        const magnitudeError = errorOf(masked(wandaMask(Float64Array.from(magnitudeScores(w)), [rows, cols], { sparsity })));
        const sparseError = errorOf(sparse.weight);
        expect(sparseError, `s=${sparsity} block ${blockSize}`).toBeLessThan(wandaError);
        expect(sparseError, `s=${sparsity} block ${blockSize}`).toBeLessThan(magnitudeError);
      }
    }
  });

  it('produces N:M masks, the same whatever the (m-aligned) block size: lazy updates are exact', () => {
    const rand = seeded(3);
    const [rows, cols] = [6, 32];
    const x = Float64Array.from({ length: 80 * cols }, rand);
    const h = hessianFromGram(gram(x, 80, cols), 80);
    const w = Float32Array.from({ length: rows * cols }, rand);
    const small = sparseGptPrune(w, [rows, cols], h, { nm: { n: 2, m: 4 }, blockSize: 4 });
    const large = sparseGptPrune(w, [rows, cols], h, { nm: { n: 2, m: 4 } });
    expect(isNMPattern(small.mask, [rows, cols], 2, 4)).toBe(true);
    expect(small.mask.filter((m) => m === 0)).toHaveLength((rows * cols) / 2);
    expect(large.mask).toEqual(small.mask);
    large.weight.forEach((v, i) => expect(v).toBeCloseTo(small.weight[i], 5));
  });

  it('handles a singular XᵀX through the dampening, and fails clearly without it', () => {
    // 3 tokens, 6 inputs, column 1 = column 0: XᵀX is exactly singular.
    const x = Float64Array.from([1, 1, 2, 0, -1, 3, 2, 2, -1, 1, 0, 1, 0, 0, 1, 2, 1, -2]);
    const h = hessianFromGram(gram(x, 3, 6), 3);
    const w = Float32Array.from({ length: 12 }, seeded(1));
    const error = thrown(() => sparseGptPrune(w, [2, 6], h, { sparsity: 0.5, dampening: 0 }));
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/damped Hessian is not positive definite/);
    const result = sparseGptPrune(w, [2, 6], h, { sparsity: 0.5 });
    expect(result.weight.every(Number.isFinite)).toBe(true);
    expect(result.mask.filter((m) => m === 0)).toHaveLength(6);
  });

  it('zeroes the weights of dead inputs (zero diagonal), which are then pruned first', () => {
    const x = Float64Array.from([1, 0, 2, 3, 0, 0, 2, -1, 1, 0, -1, 2]); // input 1 is never active
    const h = hessianFromGram(gram(x, 3, 4), 3);
    const w = Float32Array.from([5, 9, 1, 2, -4, 8, 3, 1]);
    const result = sparseGptPrune(w, [2, 4], h, { sparsity: 0.25 });
    expect([result.mask[1], result.mask[5]]).toEqual([0, 0]);
    expect([result.weight[1], result.weight[5]]).toEqual([0, 0]);
  });

  it('validates its arguments', () => {
    const w = new Float32Array(8);
    const h = Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const cases: [() => unknown, RegExp][] = [
      [() => sparseGptPrune(w, [2, 4], h, {}), /exactly one of `sparsity` and `nm`/],
      [() => sparseGptPrune(w, [2, 4], h, { sparsity: 0.5, nm: { n: 2, m: 4 } }), /exactly one/],
      [() => sparseGptPrune(w, [2, 4], h, { sparsity: 1 }), /sparsity must be in \[0, 1\)/],
      [() => sparseGptPrune(w, [2, 4], h, { nm: { n: 2, m: 4 }, blockSize: 6 }), /blockSize \(6\) must be a multiple of m \(4\)/],
      [() => sparseGptPrune(w, [2, 4], h, { nm: { n: 1, m: 3 } }), /input width \(4\) to be a multiple of m/],
      [() => sparseGptPrune(w, [3, 4], h, { sparsity: 0.5 }), /8 values; shape \[3, 4\] needs 12/],
      [() => sparseGptPrune(w, [2, 4], h.subarray(0, 9), { sparsity: 0.5 }), /Hessian must be \[4, 4\]/],
      [() => sparseGptPrune(w, [2, 4], h, { sparsity: 0.5, dampening: -1 }), /dampening/],
    ];
    for (const [run, message] of cases) {
      const error = thrown(run);
      expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT'), String(message)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });
});
