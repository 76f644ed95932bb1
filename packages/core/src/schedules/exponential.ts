import { assertInRange, assertInteger } from './validate.js';

/** Parameters of the {@link exponentialSchedule}. */
export interface ExponentialScheduleOptions {
  /** Final sparsity s, in [0, 1). */
  readonly sparsity: number;
  /** Number of pruning rounds T (MULTIFLOW's IterSNIP baseline: 60). Integer ≥ 1. */
  readonly rounds: number;
}

/**
 * Exponential (geometric) sparsity schedule of iterative pruning (IterSNIP, CHITA++; the
 * MULTIFLOW paper's IterSNIP baseline, Farina et al., CVPR 2024): the sparsity after round
 * `t ∈ {0, …, T−1}` is `1 − (1 − s)^((t+1)/T)`, so every round keeps the same fraction
 * `(1 − s)^(1/T)` of the surviving weights. E.g. s = 0.75, T = 2 → 0.5, 0.75.
 *
 * The last round returns `s` itself (the formula's `1 − (1 − s)` can differ from s in the last
 * bit, e.g. 0.09999999999999998 for 0.1, which would lose one weight under `floor`).
 * Throws `InvalidArgumentError` for s outside [0, 1), T < 1 or t outside [0, T − 1].
 */
export function exponentialSchedule(round: number, options: ExponentialScheduleOptions): number {
  assertInRange(options.sparsity, 0, 1, 'sparsity', true);
  assertInteger(options.rounds, 1, 'rounds');
  assertInteger(round, 0, 'round');
  assertInRange(round, 0, options.rounds - 1, 'round');
  if (round === options.rounds - 1) return options.sparsity;
  return 1 - Math.pow(1 - options.sparsity, (round + 1) / options.rounds);
}
