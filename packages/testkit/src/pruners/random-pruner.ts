import { definePruner, type Pruner } from '@vlp/core';
import { VERSION } from '../version.js';
import { allocate, unitsInScope } from './allocate.js';
import { type AllocationConfig, type AllocationConfigInput, allocationConfigSchema } from './allocation-schema.js';
import { scoreUnits } from './score-units.js';

/**
 * Random pruning, the sanity baseline: every weight gets a uniform score from
 * `ctx.rng.split(unitName)` and the lowest ones are pruned (per unit, or globally with
 * `allocation: 'global'`). Deterministic for a given `request.seed`; reads no weights.
 */
export function randomPruner(): Pruner<AllocationConfig, AllocationConfigInput> {
  return definePruner<AllocationConfig, AllocationConfigInput>({
    id: 'random',
    displayName: 'Random',
    version: VERSION,
    configSchema: allocationConfigSchema(),
    capabilities: {
      architectures: '*',
      modalities: ['vision', 'text', 'fusion'],
      granularity: 'unstructured',
      requires: { calibration: false, gradients: false, training: false, evaluator: false },
    },
    async prune(view, request, ctx) {
      const started = performance.now();
      const units = unitsInScope(view.units, request.scope?.modalities ?? ['vision', 'text', 'fusion']);
      const scores = await scoreUnits(units, ctx, (unit) =>
        ctx.rng.split(unit.name).fillUniform(new Float32Array(unit.shape[0] * unit.shape[1])),
      );
      const result = allocate(units, scores, request.sparsity, ctx.config.allocation);
      ctx.emit({ type: 'mask-end', units: units.length });
      return { ...result, timings: { scoring: performance.now() - started } };
    },
  });
}
