import type { PrunerCapabilities } from '@vlp/core';

/** `capabilities.requires` with the given needs set (training and evaluator are never needed here). */
export function requirements(needs: { calibration?: boolean; gradients?: boolean } = {}): PrunerCapabilities['requires'] {
  return { calibration: needs.calibration ?? false, gradients: needs.gradients ?? false, training: false, evaluator: false };
}
