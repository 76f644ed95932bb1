import type { AnyPruner } from '@vlp/core';
import { iterSnip } from './itersnip/itersnip-pruner.js';
import { lamp } from './lamp/lamp-pruner.js';
import { layerwiseL2Norm } from './layerwise-l2norm/layerwise-l2norm-pruner.js';
import { magnitude } from './magnitude/magnitude-pruner.js';
import { random } from './random/random-pruner.js';
import { snip } from './snip/snip-pruner.js';
import { sparseGpt } from './sparsegpt/sparsegpt-pruner.js';
import { wanda } from './wanda/wanda-pruner.js';

/**
 * One default instance of every baseline, in a stable order, for a registry:
 * `createPrunerRegistry(baselinePruners())`. Ids: random, magnitude, layerwise-l2norm, lamp, snip,
 * itersnip, wanda, sparsegpt.
 */
export function baselinePruners(): AnyPruner[] {
  return [random(), magnitude(), layerwiseL2Norm(), lamp(), snip(), iterSnip(), wanda(), sparseGpt()];
}
