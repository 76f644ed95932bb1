import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { A4, E3x4, I_IN, I_OUT, S3x4, SHAPE3x4, W3x4 } from './__tests__/matrices.js';
import { edgeFlow, informationFlowScores, neuronImportance } from './score.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return VlpError.isInstance(e) ? e.code : String(e);
  }
  return 'no error';
};

/** The 3×4 example with its input columns in the order `perm`. */
function permuteColumns(values: ArrayLike<number>, perm: number[], rows = 3): number[] {
  const cols = perm.length;
  return Array.from({ length: rows * cols }, (_, i) => values[Math.floor(i / cols) * cols + perm[i % cols]]);
}

describe('multiflow score (eq. 6)', () => {
  describe('edgeFlow', () => {
    it('is |W_ij| · sqrt(a_j) (hand-computed 3×4) and leaves its inputs alone', () => {
      const copy = Float32Array.from(W3x4);
      expect(Array.from(edgeFlow(W3x4, A4, SHAPE3x4))).toEqual(E3x4);
      expect(W3x4).toEqual(copy);
    });
  });

  describe('neuronImportance', () => {
    it('averages E over inputs for I_out and over outputs for I_in (hand-computed)', () => {
      const { output, input } = neuronImportance(W3x4, A4, SHAPE3x4);
      expect(Array.from(output)).toEqual(I_OUT);
      expect(Array.from(input)).toEqual(I_IN);
    });
  });

  describe('informationFlowScores', () => {
    it('is I_out_i · I_in_j · |W_ij| (hand-computed 3×4)', () => {
      expect(Array.from(informationFlowScores(W3x4, A4, SHAPE3x4))).toEqual(S3x4);
    });

    it('matches the JSDoc example', () => {
      expect(Array.from(informationFlowScores(Float32Array.of(1, -2, 0, 3), [4, 1], [2, 2]))).toEqual([2, 10, 0, 11.25]);
    });

    it('permutes with the input features', () => {
      const perm = [3, 0, 2, 1];
      const permuted = informationFlowScores(Float32Array.from(permuteColumns(W3x4, perm)), perm.map((j) => A4[j]), SHAPE3x4);
      expect(Array.from(permuted)).toEqual(permuteColumns(S3x4, perm));
    });

    it('scales by c³ when W is scaled by c and by c when a is (the ranking is unchanged)', () => {
      const byWeight = informationFlowScores(W3x4.map((w) => 2 * w), A4, SHAPE3x4);
      const byStatistic = informationFlowScores(W3x4, A4.map((a) => 4 * a), SHAPE3x4);
      expect(Array.from(byWeight)).toEqual(S3x4.map((s) => 8 * s));
      expect(Array.from(byStatistic)).toEqual(S3x4.map((s) => 4 * s));
    });

    it('gives zero scores to every weight of an input feature that never fired', () => {
      const scores = informationFlowScores(W3x4, [4, 1, 0, 9], SHAPE3x4);
      expect([scores[2], scores[6], scores[10]]).toEqual([0, 0, 0]);
    });

    it('rejects a statistic of the wrong width, a wrong shape and negative or NaN mean squares', () => {
      expect(code(() => informationFlowScores(W3x4, [1, 2, 3], SHAPE3x4))).toBe('VLP_INVALID_ARGUMENT');
      expect(code(() => informationFlowScores(W3x4, A4, [4, 3]))).toBe('VLP_INVALID_ARGUMENT');
      expect(code(() => informationFlowScores(W3x4, A4, [2, 6]))).toBe('VLP_INVALID_ARGUMENT');
      expect(code(() => informationFlowScores(W3x4, [4, -1, 0.25, 9], SHAPE3x4))).toBe('VLP_INVALID_ARGUMENT');
      expect(code(() => informationFlowScores(W3x4, [4, Number.NaN, 0.25, 9], SHAPE3x4))).toBe('VLP_INVALID_ARGUMENT');
    });
  });
});
