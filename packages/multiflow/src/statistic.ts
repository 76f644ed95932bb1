/**
 * MULTIFLOW's calibration statistic of one unit (official `_offload_actns`, the same running mean
 * as Wanda's `scaler_row`): `a_j = (1/N_seq) Σ_{valid tokens t} x_tj²`, where N_seq counts the
 * SEQUENCES (images or texts) that fed the unit, not the token rows. The official running update
 * `a ← a·n/(n+B) + ‖X‖²/(n+B)` equals this mean; here the sums are kept in float64 and divided once.
 */

/** The float64 running sums of one unit's input over the calibration batches. */
export interface ActivationAccumulator {
  /** Σ over contributing token rows of x_j², one entry per input feature. */
  readonly sumSquares: Float64Array;
  /** Token rows that contributed (after dropping padding). */
  tokens: number;
  /** Sequences that contributed (N_seq). */
  sequences: number;
}

/** The finished statistic of one unit. */
export interface ActivationStatistic {
  /** `a_j = Σ x_j² / N_seq` (the official `act_sq_mean`, before its square root). */
  readonly actSqMean: Float64Array;
  readonly tokens: number;
  readonly sequences: number;
}

/** An empty accumulator for a unit with `inputs` input features. */
export function createAccumulator(inputs: number): ActivationAccumulator {
  return { sumSquares: new Float64Array(inputs), tokens: 0, sequences: 0 };
}

/** Adds one batch: `sumSquares` is the batch's Σ x_j² per feature (an `input-sum-squares` tap). */
export function accumulate(acc: ActivationAccumulator, sumSquares: ArrayLike<number>, tokens: number, sequences: number): void {
  for (let j = 0; j < acc.sumSquares.length; j++) acc.sumSquares[j] += sumSquares[j];
  acc.tokens += tokens;
  acc.sequences += sequences;
}

/** `a = Σ x² / N_seq` (all zeros when no sequence contributed). */
export function finishStatistic(acc: ActivationAccumulator): ActivationStatistic {
  const actSqMean = new Float64Array(acc.sumSquares.length);
  if (acc.sequences > 0) for (let j = 0; j < actSqMean.length; j++) actSqMean[j] = acc.sumSquares[j] / acc.sequences;
  return { actSqMean, tokens: acc.tokens, sequences: acc.sequences };
}
