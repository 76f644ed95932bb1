import { definePruner, type Pruner } from '@vlp/core';
import { assertNMSparsity, nmSparsity } from '../common/granularity.js';
import { pruneLayerwise } from '../common/layerwise.js';
import { PAPERS } from '../common/papers.js';
import { requirements } from '../common/requirements.js';
import { ALL_MODALITIES, unitsInScope } from '../common/scope.js';
import { VERSION } from '../version.js';
import { layerwiseConfigSchema, layerwiseGranularity } from '../common/layerwise-schema.js';
import { type WandaMaskOptions, wandaMask, wandaScores } from './score.js';
import { type WandaConfig, type WandaConfigInput, wandaConfigSchema } from './wanda-config.js';

/**
 * Wanda (Sun et al., ICLR 2024). Lifecycle:
 * 1. calibrate: run the calibration batches with an `input-sum-squares` tap on every unit in scope
 *    and sum Σ_t x_tj² over batches (block by block on the already-pruned model when `sequential`);
 * 2. per unit: scores `|W_ij| · ‖X_j‖₂`, then the mask: ⌊in·s⌋ lowest per output row (default),
 *    per tensor, or N:M;
 * 3. return the masks (no weight update) with every unit's target sparsity.
 * `wanda({ granularity: { kind: 'n:m', n: 2, m: 4 } })` makes a pruner declared `n:m`.
 */
export function wanda(defaults?: WandaConfigInput): Pruner<WandaConfig, WandaConfigInput> {
  return definePruner<WandaConfig, WandaConfigInput>({
    id: 'wanda',
    displayName: 'Wanda',
    version: VERSION,
    paper: PAPERS.wanda,
    configSchema: layerwiseConfigSchema(wandaConfigSchema, defaults, 'wanda'),
    capabilities: {
      architectures: '*',
      modalities: ALL_MODALITIES,
      granularity: layerwiseGranularity(defaults),
      requires: requirements({ calibration: true }),
    },
    async prune(view, request, ctx) {
      const { granularity, comparisonGroup, tokens, sequential } = ctx.config;
      if (granularity.kind === 'n:m') assertNMSparsity(granularity, request.sparsity, 'wanda');
      const target = granularity.kind === 'n:m' ? nmSparsity(granularity) : request.sparsity;
      const options: WandaMaskOptions = granularity.kind === 'n:m' ? { nm: granularity } : { sparsity: request.sparsity, comparisonGroup };
      const units = unitsInScope(view, request);
      const result = await pruneLayerwise(view, units, ctx.calibration!, ctx, {
        statistic: 'input-sum-squares',
        tokens,
        sequential,
        pruneUnit: (unit, weight, statistic) => ({ mask: wandaMask(wandaScores(weight, statistic.values), unit.shape, options) }),
      });
      ctx.emit({ type: 'mask-end', units: units.length });
      return { masks: result.masks, targets: new Map(units.map((u) => [u.name, target])), timings: result.timings };
    },
  });
}
