import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { wandaMask, wandaScores } from './score.js';

// W is [3, 4] (rows = outputs), Σx² per input = [4, 1, 0.25, 9] → ‖X_j‖₂ = [2, 1, 0.5, 3].
const W = Float32Array.from([1, -2, 3, -4, 0.5, 0.5, -1, 2, -3, 1, 0, 1]);
const SUM_SQUARES = [4, 1, 0.25, 9];
const SHAPE = [3, 4] as const;

describe('wandaScores', () => {
  it('is |W_ij| · ‖X_j‖₂ (hand-computed)', () => {
    expect(Array.from(wandaScores(W, SUM_SQUARES))).toEqual([2, 2, 1.5, 12, 1, 0.5, 0.5, 6, 6, 1, 0, 3]);
  });

  it('divides the sums by count first (the official scaler_row mean)', () => {
    expect(Array.from(wandaScores(W, SUM_SQUARES, 4))).toEqual([1, 1, 0.75, 6, 0.5, 0.25, 0.25, 3, 3, 0.5, 0, 1.5]);
  });

  it('permutes with the inputs and keeps its ranking when W is scaled', () => {
    const permuted = Float32Array.from([-4, 3, -2, 1, 2, -1, 0.5, 0.5, 1, 0, 1, -3]);
    expect(Array.from(wandaScores(permuted, [9, 0.25, 1, 4]))).toEqual([12, 1.5, 2, 2, 6, 0.5, 0.5, 1, 3, 0, 1, 6]);
    const scaled = wandaScores(W.map((w) => 3 * w), SUM_SQUARES);
    expect(wandaMask(scaled, SHAPE, { sparsity: 0.5 })).toEqual(wandaMask(wandaScores(W, SUM_SQUARES), SHAPE, { sparsity: 0.5 }));
  });

  it('rejects statistics that do not match the weight width', () => {
    const error = (() => {
      try {
        wandaScores(W, [1, 2, 3, 4, 5]);
      } catch (e) {
        return e;
      }
    })();
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
  });
});

describe('wandaMask', () => {
  const scores = wandaScores(W, SUM_SQUARES);

  it('prunes ⌊in·s⌋ per output row by default, lower index first on ties', () => {
    // row 0: 1.5 (col 2) and the first of the tied 2s (col 0); row 1: the tied 0.5s; row 2: 0 and 1.
    expect(Array.from(wandaMask(scores, SHAPE, { sparsity: 0.5 }))).toEqual([0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
  });

  it('prunes ⌊out·in·s⌋ under one threshold per tensor', () => {
    // the six lowest: 0, 0.5, 0.5, 1 (r1c0), 1 (r2c1), 1.5
    expect(Array.from(wandaMask(scores, SHAPE, { sparsity: 0.5, comparisonGroup: 'tensor' }))).toEqual([1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1]);
  });

  it('keeps the n best of every m consecutive inputs with nm', () => {
    expect(Array.from(wandaMask(scores, SHAPE, { nm: { n: 2, m: 4 } }))).toEqual([0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
    // 1:2 — row 0's first pair ties (2, 2): the lower index is pruned.
    expect(Array.from(wandaMask(scores, SHAPE, { nm: { n: 1, m: 2 } }))).toEqual([0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
  });
});
