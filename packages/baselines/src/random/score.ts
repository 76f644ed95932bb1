import type { Rng } from '@vlp/core';

/**
 * Random scores of one unit: `numel` uniform floats in [0, 1) from `rng` (pass
 * `ctx.rng.split(unitName)` so every unit has its own reproducible stream). O(numel).
 */
export function randomScores(rng: Rng, numel: number): Float32Array {
  return rng.fillUniform(new Float32Array(numel));
}
