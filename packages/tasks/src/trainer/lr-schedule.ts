import { InvalidArgumentError } from '@vlp/core';

/** Learning-rate schedule: linear warm-up from 0, then cosine (or linear, or constant) decay. */
export interface LrSchedule {
  readonly warmupSteps?: number;
  readonly decay?: 'cosine' | 'linear' | 'constant';
  /** Final learning rate as a fraction of the peak (default 0). */
  readonly minRatio?: number;
}

/**
 * Learning rate at optimizer step `step` (0-based) of `totalSteps`, peak `peak`: `peak·(step+1)/warmup`
 * during warm-up (as transformers' `get_cosine_schedule_with_warmup` with the step counted after the
 * update), then `min + (peak − min)·½(1 + cos(π·progress))` with progress from 0 to 1 over the rest.
 */
export function learningRateAt(step: number, totalSteps: number, peak: number, schedule: LrSchedule = {}): number {
  const warmup = schedule.warmupSteps ?? 0;
  const min = peak * (schedule.minRatio ?? 0);
  if (!Number.isInteger(step) || step < 0 || step >= totalSteps) {
    throw new InvalidArgumentError({ message: `learningRateAt: step ${step} is outside 0..${totalSteps - 1}.` });
  }
  if (step < warmup) return (peak * (step + 1)) / warmup;
  const decay = schedule.decay ?? 'cosine';
  if (decay === 'constant') return peak;
  const span = Math.max(1, totalSteps - warmup);
  const progress = (step - warmup) / span;
  if (decay === 'linear') return min + (peak - min) * (1 - progress);
  return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
