import { assertInRange, assertInteger } from './validate.js';

/** Parameters of the {@link upopSchedule}. */
export interface UpopScheduleOptions {
  /** Target compression p: fraction of prunable parameters removed at the end (0.5 ≈ "2×"). In [0, 1]. */
  readonly p: number;
  /** Total search steps T (epochs × iterations per epoch). Integer ≥ 1. */
  readonly totalSteps: number;
}

/**
 * UPop's progressive compression ratio (Shi et al., "UPop: Unified and Progressive Pruning for
 * Compressing Vision-Language Transformers", ICML 2023), as computed by the official training
 * loops (`compress_*.py`, `config['p'] * ((1 - math.cos(math.pi * (step + 1) / total_steps)) / 2) ** (1 / 2)`):
 *
 *   `π_t = p · √((1 − cos(π·(t+1)/T)) / 2)`,  t = 0, …, T−1,
 *
 * i.e. the (t+1)-shifted form: π_{T−1} = p exactly, π_0 = p·sin(π/(2T)) > 0, and for even T
 * π_{T/2−1} = p·√½. (The paper and methods.md §6 write `πt/T`; the code uses `t + 1`.) Pruned
 * mask entries are then set to `1 − π_t/p`. Throws `InvalidArgumentError` for p outside [0, 1],
 * T < 1 or t outside [0, T − 1].
 */
export function upopSchedule(step: number, options: UpopScheduleOptions): number {
  assertInRange(options.p, 0, 1, 'p');
  assertInteger(options.totalSteps, 1, 'totalSteps');
  assertInteger(step, 0, 'step');
  assertInRange(step, 0, options.totalSteps - 1, 'step');
  return options.p * Math.sqrt((1 - Math.cos((Math.PI * (step + 1)) / options.totalSteps)) / 2);
}
