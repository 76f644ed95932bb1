import * as tf from '@tensorflow/tfjs';

/**
 * Importance scores of ID-guided pruning (Wang, Zhang & Ma, ICML 2024, §4, Algorithm 1; official
 * `ID_pruner_clip.Pruner.update_ipt_with_local_window` / `mask_with_threshold`):
 *
 * - magnitude: `I = |θ|`;  Taylor: `I = |θ ⊙ ∇θ|` (eq. 5);
 * - PLATON (Zhang et al., ICML 2022): inside a window of `deltaT` steps `I` is averaged,
 *   `Ī ← (Ī·t + I)/(t + 1)`; at a window end (`step % deltaT = 0`) the EMAs move,
 *   `Ī_ema ← β₁·Ī_ema + (1 − β₁)·Ī`, `U ← β₂·U + (1 − β₂)·|Ī − Ī_ema|`, and the window restarts
 *   with the current `I`; the score is `Ī_ema ⊙ U`;
 * - every score is multiplied by the layer's intrinsic dimension `ID_l` (eq. 6, no normalisation).
 *
 * Tensors are `[out, in]` (HF orientation) or `[n]` for biases; every op is elementwise, O(numel).
 * Functions return new tensors and never dispose or mutate their inputs (float32 as the official code).
 */

/** The PLATON state of one tensor (`ipt`, `exp_avg_ipt`, `exp_avg_unc` of the official code). */
export type PlatonState = {
  /** Window average of the instant sensitivity. */
  readonly ipt: tf.Tensor;
  /** EMA of the sensitivity (β₁). */
  readonly expAvgIpt: tf.Tensor;
  /** EMA of the uncertainty `|Ī − Ī_ema|` (β₂). */
  readonly expAvgUnc: tf.Tensor;
};

/** PLATON hyper-parameters (paper defaults β₁ 0.85, β₂ 0.95, ΔT 10). */
export interface PlatonOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly deltaT: number;
}

/** Magnitude sensitivity `|θ|`. */
export function magnitudeSensitivity(weight: tf.Tensor): tf.Tensor {
  return tf.abs(weight);
}

/** Taylor sensitivity `|θ ⊙ ∇θ|` (first-order change of the loss when θ is zeroed). */
export function taylorSensitivity(weight: tf.Tensor, grad: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.abs(tf.mul(weight, grad)));
}

/** A zero PLATON state shaped like `weight` (the official lazy initialisation). */
export function initialPlatonState(weight: tf.Tensor): PlatonState {
  return { ipt: tf.zerosLike(weight), expAvgIpt: tf.zerosLike(weight), expAvgUnc: tf.zerosLike(weight) };
}

/**
 * One PLATON update at 1-based `step` with this step's instant sensitivity `instant` (`|θ ⊙ ∇θ|`
 * after the optimizer step). Returns the new state; the caller disposes the old one.
 */
export function platonUpdate(state: PlatonState, instant: tf.Tensor, step: number, o: PlatonOptions): PlatonState {
  const local = step % o.deltaT;
  return tf.tidy(() => {
    if (local !== 0) {
      const ipt = tf.div(tf.add(tf.mul(state.ipt, local), instant), local + 1);
      return { ipt, expAvgIpt: tf.clone(state.expAvgIpt), expAvgUnc: tf.clone(state.expAvgUnc) };
    }
    const expAvgIpt = tf.add(tf.mul(state.expAvgIpt, o.beta1), tf.mul(state.ipt, 1 - o.beta1));
    const expAvgUnc = tf.add(tf.mul(state.expAvgUnc, o.beta2), tf.mul(tf.abs(tf.sub(state.ipt, expAvgIpt)), 1 - o.beta2));
    return { ipt: tf.clone(instant), expAvgIpt, expAvgUnc };
  });
}

/** PLATON score `Ī_ema ⊙ U` (official `0 < β₂ < 1` branch). */
export function platonScore(state: PlatonState): tf.Tensor {
  return tf.mul(state.expAvgIpt, state.expAvgUnc);
}

/** `score · ID_l` (eq. 6): the layer's intrinsic dimension as a multiplicative importance factor. */
export function idScaledScore(score: tf.Tensor, id: number): tf.Tensor {
  return tf.mul(score, id);
}

/** Disposes every tensor of a PLATON state. */
export function disposePlatonState(state: PlatonState): void {
  tf.dispose([state.ipt, state.expAvgIpt, state.expAvgUnc]);
}
