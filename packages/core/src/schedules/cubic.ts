import { cube } from './exact-cube.js';
import { assertInRange, assertInteger } from './validate.js';

/** Parameters of the {@link cubicSchedule} (the official ID / PLATON `schedule_threshold_comb`). */
export interface CubicScheduleOptions {
  /** Value during the initial warm-up (ID code `initial_threshold`: remaining ratio, usually 1). In [0, 1]. */
  readonly initialRatio: number;
  /** Value during the final warm-up (ID code `final_threshold`, e.g. 0.2 = 80 % sparsity). In [0, 1]. */
  readonly finalRatio: number;
  /** Total number of steps T (ID code `total_step`). Integer ≥ 1. */
  readonly totalSteps: number;
  /** Initial warm-up, in units of `warmupSteps` (ID code `initial_warmup`, epochs). ≥ 0. */
  readonly initialWarmup: number;
  /** Final warm-up, in units of `warmupSteps` (ID code `final_warmup`, epochs). ≥ 0. */
  readonly finalWarmup: number;
  /** Steps per warm-up unit (ID code `warmup_steps` = iterations per epoch). Default 1: warm-ups in steps. */
  readonly warmupSteps?: number;
}

/** {@link CubicScheduleOptions} plus the masking cadence of the official ID code. */
export interface CubicMaskingOptions extends CubicScheduleOptions {
  /** Mask every `deltaT` steps during the ramp (ID code `deltaT`, default 10). Integer ≥ 1. */
  readonly deltaT: number;
  /** Also mask when `step % length === 0` (ID code `length`: the dataloader length, epoch ends). Integer ≥ 1. */
  readonly length: number;
}

type Phase = 'initial' | 'ramp' | 'final';

function phase(step: number, o: CubicScheduleOptions): { phase: Phase; warm: number; ramp: number } {
  assertInRange(step, 0, Infinity, 'step');
  assertInRange(o.initialRatio, 0, 1, 'initialRatio');
  assertInRange(o.finalRatio, 0, 1, 'finalRatio');
  assertInteger(o.totalSteps, 1, 'totalSteps');
  const w = o.warmupSteps ?? 1;
  assertInRange(w, 0, Infinity, 'warmupSteps');
  assertInRange(o.initialWarmup, 0, Infinity, 'initialWarmup');
  assertInRange(o.finalWarmup, 0, Infinity, 'finalWarmup');
  const warm = o.initialWarmup * w; // spars_warmup_steps
  const both = (o.finalWarmup + o.initialWarmup) * w; // spars_schedu_steps
  assertInRange(both, 0, o.totalSteps, '(initialWarmup + finalWarmup) · warmupSteps (it must fit in totalSteps)');
  if (step <= warm) return { phase: 'initial', warm, ramp: o.totalSteps - both };
  if (step > o.totalSteps - o.finalWarmup * w) return { phase: 'final', warm, ramp: o.totalSteps - both };
  return { phase: 'ramp', warm, ramp: o.totalSteps - both };
}

/**
 * Cubic sparsity schedule of Zhu & Gupta (2017) as used by Movement Pruning (Sanh et al.,
 * NeurIPS 2020), PLATON (Zhang et al., ICML 2022) and the official ID-pruning code (Wang, Zhang &
 * Ma, ICML 2024, `ID_pruner.Pruner.schedule_threshold_comb`). With `tᵢ = initialWarmup·warmupSteps`
 * and `t_f = finalWarmup·warmupSteps`:
 *
 * - `t ≤ tᵢ`: `r₀` (initialRatio);
 * - `t > T − t_f`: `r_f` (finalRatio);
 * - otherwise `r_f + (r₀ − r_f) · (1 − (t − tᵢ) / (T − tᵢ − t_f))³`.
 *
 * In the ID code the value is the REMAINING ratio (1 → 0.2); it is just as usable for a sparsity
 * ramp (0 → s). The arithmetic follows the official expression term by term and takes the cube
 * correctly rounded, which reproduces `shared/fixtures/official/id/schedule.json` bit for bit.
 * Steps beyond T give `r_f`. Throws `InvalidArgumentError` for a negative step, ratios outside
 * [0, 1], `totalSteps < 1`, negative warm-ups or warm-ups longer than T.
 */
export function cubicSchedule(step: number, options: CubicScheduleOptions): number {
  const p = phase(step, options);
  if (p.phase === 'initial') return options.initialRatio;
  if (p.phase === 'final') return options.finalRatio;
  const mulCoeff = 1 - (step - p.warm) / p.ramp;
  return options.finalRatio + (options.initialRatio - options.finalRatio) * cube(mulCoeff);
}

/**
 * Whether the official ID code masks at `step` (`mask_ind` of `schedule_threshold_comb`): never
 * during the initial warm-up (`t ≤ tᵢ`), at every step of the final warm-up (`t > T − t_f`), and
 * during the ramp when `t % deltaT === 0 || t % length === 0`.
 */
export function cubicMaskingStep(step: number, options: CubicMaskingOptions): boolean {
  const p = phase(step, options);
  assertInteger(options.deltaT, 1, 'deltaT');
  assertInteger(options.length, 1, 'length');
  if (p.phase === 'initial') return false;
  if (p.phase === 'final') return true;
  return step % options.deltaT === 0 || step % options.length === 0;
}
