import { InvalidArgumentError, VlpError, definePruner, type PrunableUnit, type Pruner } from '@vlp/core';
import { assertNMSparsity, nmSparsity } from '../common/granularity.js';
import { pruneLayerwise } from '../common/layerwise.js';
import { layerwiseConfigSchema, layerwiseGranularity } from '../common/layerwise-schema.js';
import { PAPERS } from '../common/papers.js';
import { requirements } from '../common/requirements.js';
import { ALL_MODALITIES, unitsInScope } from '../common/scope.js';
import { VERSION } from '../version.js';
import { hessianFromGram } from './hessian.js';
import { type SparseGptOptions, type SparseGptResult, sparseGptPrune } from './score.js';
import { type SparseGptConfig, type SparseGptConfigInput, sparseGptConfigSchema } from './sparsegpt-config.js';

function pruneUnit(unit: PrunableUnit, run: () => SparseGptResult): SparseGptResult {
  try {
    return run();
  } catch (error) {
    if (!VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')) throw error;
    throw new InvalidArgumentError({ message: `SparseGPT on "${unit.name}": ${error.message}`, tensor: unit.name, cause: error });
  }
}

/**
 * SparseGPT (Frantar & Alistarh, ICML 2023). Lifecycle:
 * 1. calibrate: run the calibration batches with an `input-gram` tap on every unit in scope
 *    (block by block on the already-pruned, updated model when `sequential`); H = 2·ΣXᵀX / n_seq;
 * 2. per unit: `sparseGptPrune` — 1 % dampening, Cholesky inverse, column blocks of 128, OBS
 *    updates of the surviving weights;
 * 3. return the masks, the updated weights (`PruneResult.weights`, applied by `prune()` with
 *    `view.setWeights`) and the summed `reconstructionError` estimate in `metrics`.
 * `sparseGpt({ granularity: { kind: 'n:m', n: 2, m: 4 } })` makes a pruner declared `n:m`.
 */
export function sparseGpt(defaults?: SparseGptConfigInput): Pruner<SparseGptConfig, SparseGptConfigInput> {
  return definePruner<SparseGptConfig, SparseGptConfigInput>({
    id: 'sparsegpt',
    displayName: 'SparseGPT',
    version: VERSION,
    paper: PAPERS.sparsegpt,
    configSchema: layerwiseConfigSchema(sparseGptConfigSchema, defaults, 'sparseGpt'),
    capabilities: {
      architectures: '*',
      modalities: ALL_MODALITIES,
      granularity: layerwiseGranularity(defaults),
      requires: requirements({ calibration: true }),
    },
    async prune(view, request, ctx) {
      const { granularity, blockSize, dampening, tokens, sequential } = ctx.config;
      if (granularity.kind === 'n:m') assertNMSparsity(granularity, request.sparsity, 'sparsegpt');
      const target = granularity.kind === 'n:m' ? nmSparsity(granularity) : request.sparsity;
      const options: SparseGptOptions =
        granularity.kind === 'n:m' ? { nm: granularity, blockSize, dampening } : { sparsity: request.sparsity, blockSize, dampening };
      const units = unitsInScope(view, request);
      const result = await pruneLayerwise(view, units, ctx.calibration!, ctx, {
        statistic: 'input-gram',
        tokens,
        sequential,
        pruneUnit(unit, weight, statistic) {
          const pruned = pruneUnit(unit, () => sparseGptPrune(weight, unit.shape, hessianFromGram(statistic.values, statistic.sequences), options));
          return { mask: pruned.mask, weight: pruned.weight, metrics: { reconstructionError: pruned.error } };
        },
      });
      ctx.emit({ type: 'mask-end', units: units.length });
      return {
        masks: result.masks,
        weights: result.weights,
        targets: new Map(units.map((u) => [u.name, target])),
        timings: result.timings,
        metrics: result.metrics,
      };
    },
  });
}
