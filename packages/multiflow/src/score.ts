/**
 * MULTIFLOW's information-flow score (Farina et al., CVPR 2024, eq. 6), as the official
 * `MultiFlow.score()` computes it.
 *
 * Layout: one prunable linear `W ∈ R^{out × in}` in HF orientation (`[out, in]`), flat row-major;
 * `a ∈ R^{in}` is the calibration statistic of its input, `a_j = (1/N_seq) Σ_valid tokens x_j²`
 * (see `statistic.ts`). With `ā = sqrt(a)`:
 *
 *   E_ij   = |W_ij| · ā_j                      (activation-weighted edge magnitude)
 *   I_out_i = mean_j E_ij                      (importance of output neuron i)
 *   I_in_j  = mean_i E_ij = ā_j · mean_i |W_ij| (importance of input neuron j)
 *   S_ij   = I_out_i · I_in_j · |W_ij|          (eq. 6: the last factor is |W|, not E)
 *
 * Everything is computed in float64 on host arrays (the official code uses float32 tensors; a float64
 * port agrees within ~1e-6 relative). Cost O(out · in) time, O(out · in) for the returned scores.
 * Inputs are never modified.
 */
import { InvalidArgumentError } from '@vlp/core';

/** Importance of the output and input neurons of one unit (eq. 6). */
export interface NeuronImportance {
  /** `I_out`, one entry per output neuron (row), `[out]`. */
  readonly output: Float64Array;
  /** `I_in`, one entry per input neuron (column), `[in]`. */
  readonly input: Float64Array;
}

/** Throws `VLP_INVALID_ARGUMENT` unless the weight, its shape and the statistic agree. */
function checkOperands(weight: ArrayLike<number>, actSqMean: ArrayLike<number>, shape: readonly [number, number], what: string): void {
  const [rows, cols] = shape;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 1 || cols < 1 || rows * cols !== weight.length) {
    throw new InvalidArgumentError({
      message: `${what}: ${weight.length} weights do not form the shape [${rows}, ${cols}]; pass the unit's [out, in] shape.`,
      expected: `[out, in] with out·in = ${weight.length}`,
      actual: shape,
    });
  }
  if (actSqMean.length !== cols) {
    throw new InvalidArgumentError({
      message: `${what}: the statistic has ${actSqMean.length} entries but the unit has ${cols} inputs; pass one mean square per input feature.`,
      expected: cols,
      actual: actSqMean.length,
    });
  }
  for (let j = 0; j < cols; j++) {
    const a = actSqMean[j];
    if (!(a >= 0 && Number.isFinite(a))) {
      throw new InvalidArgumentError({
        message: `${what}: the statistic of input feature ${j} is ${a}; mean squares must be finite and ≥ 0 (check the calibration batches for NaN/Inf).`,
        expected: 'finite, >= 0',
        actual: a,
      });
    }
  }
}

/** `ā = sqrt(a)` in float64. */
function rootMeanSquares(actSqMean: ArrayLike<number>): Float64Array {
  const out = new Float64Array(actSqMean.length);
  for (let j = 0; j < out.length; j++) out[j] = Math.sqrt(actSqMean[j]);
  return out;
}

/**
 * The activation-weighted edge magnitudes `E_ij = |W_ij| · sqrt(a_j)` (eq. 6), flat row-major over
 * `[out, in]`. Throws `VLP_INVALID_ARGUMENT` when the shapes disagree or `a` has a negative or
 * non-finite entry.
 */
export function edgeFlow(weight: ArrayLike<number>, actSqMean: ArrayLike<number>, shape: readonly [number, number]): Float64Array {
  checkOperands(weight, actSqMean, shape, 'edgeFlow');
  const cols = shape[1];
  const root = rootMeanSquares(actSqMean);
  const e = new Float64Array(weight.length);
  for (let i = 0; i < e.length; i++) e[i] = Math.abs(weight[i]) * root[i % cols];
  return e;
}

/**
 * Neuron importances of eq. 6: `I_out_i = mean_j E_ij` (official `(|W|·ā).mean(dim=1)`) and
 * `I_in_j = mean_i E_ij` (`.mean(dim=0)`). Same checks as {@link edgeFlow}.
 */
export function neuronImportance(weight: ArrayLike<number>, actSqMean: ArrayLike<number>, shape: readonly [number, number]): NeuronImportance {
  const e = edgeFlow(weight, actSqMean, shape);
  const [rows, cols] = shape;
  const output = new Float64Array(rows);
  const input = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const v = e[i * cols + j];
      sum += v;
      input[j] += v;
    }
    output[i] = sum / cols;
  }
  for (let j = 0; j < cols; j++) input[j] /= rows;
  return { output, input };
}

/**
 * The MULTIFLOW score of every weight of one unit (eq. 6): `S_ij = I_out_i · I_in_j · |W_ij|`
 * (official `outer(I_out, I_in) * |W|`), flat row-major over `[out, in]`. Higher = more important.
 * Same checks as {@link edgeFlow}.
 *
 * @example
 * // W = [[1, -2], [0, 3]], a = [4, 1] → E = [[2, 2], [0, 3]], I_out = [2, 1.5], I_in = [1, 2.5]
 * informationFlowScores(Float32Array.of(1, -2, 0, 3), [4, 1], [2, 2]); // [2, 10, 0, 11.25]
 */
export function informationFlowScores(weight: ArrayLike<number>, actSqMean: ArrayLike<number>, shape: readonly [number, number]): Float64Array {
  const { output, input } = neuronImportance(weight, actSqMean, shape);
  const cols = shape[1];
  const scores = new Float64Array(weight.length);
  for (let i = 0; i < scores.length; i++) {
    const row = Math.floor(i / cols);
    const col = i - row * cols;
    scores[i] = output[row] * input[col] * Math.abs(weight[i]);
  }
  return scores;
}
