import { type CubicMaskingOptions, InvalidArgumentError } from '@vlp/core';
import type { IdIterativeConfig } from './id-iterative-config.js';

/**
 * The cubic schedule of the remaining ratio for a run (Wang, Zhang & Ma, ICML 2024, Algorithm 1;
 * official `schedule_threshold_comb`): from 1 to `1 − sparsity` over `T = epochs × batchesPerEpoch`
 * steps, warm-ups `initialWarmup`/`finalWarmup` × `warmupSteps` (default: one epoch's batches),
 * masking every `deltaT` steps or at epoch ends on the ramp and every step in the final warm-up.
 * Evaluate with core's `cubicSchedule(step, options)` / `cubicMaskingStep(step, options)`.
 */
export function scheduleOptions(
  config: Pick<IdIterativeConfig, 'epochs' | 'initialWarmup' | 'finalWarmup' | 'warmupSteps' | 'deltaT'>,
  batchesPerEpoch: number,
  sparsity: number,
): CubicMaskingOptions {
  const totalSteps = config.epochs * batchesPerEpoch;
  const warmupSteps = config.warmupSteps ?? batchesPerEpoch;
  const warm = (config.initialWarmup + config.finalWarmup) * warmupSteps;
  if (warm > totalSteps) {
    throw new InvalidArgumentError({
      message:
        `initialWarmup (${config.initialWarmup}) + finalWarmup (${config.finalWarmup}) × warmupSteps (${warmupSteps}) = ${warm} steps ` +
        `exceed the ${totalSteps} training steps (epochs ${config.epochs} × ${batchesPerEpoch} batches); shorten the warm-ups or train longer.`,
      expected: `≤ ${totalSteps}`,
      actual: warm,
    });
  }
  return {
    initialRatio: 1,
    finalRatio: 1 - sparsity,
    totalSteps,
    initialWarmup: config.initialWarmup,
    finalWarmup: config.finalWarmup,
    warmupSteps,
    deltaT: config.deltaT,
    length: batchesPerEpoch,
  };
}
