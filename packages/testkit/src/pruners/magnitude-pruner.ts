import * as tf from '@tensorflow/tfjs';
import { definePruner, type Pruner } from '@vlp/core';
import { VERSION } from '../version.js';
import { allocate, unitsInScope } from './allocate.js';
import { type AllocationConfig, type AllocationConfigInput, allocationConfigSchema } from './allocation-schema.js';
import { scoreUnits } from './score-units.js';

/**
 * Magnitude pruning: prunes the weights with the lowest |w| (per unit, or globally with
 * `allocation: 'global'`). Needs no data; ties are pruned lowest index first.
 */
export function magnitudePruner(): Pruner<AllocationConfig, AllocationConfigInput> {
  return definePruner<AllocationConfig, AllocationConfigInput>({
    id: 'magnitude',
    displayName: 'Magnitude',
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
      const scores = await scoreUnits(units, ctx, async (unit) => {
        const magnitude = tf.abs(view.weight(unit.name));
        try {
          return (await magnitude.data()) as Float32Array;
        } finally {
          magnitude.dispose();
        }
      });
      const result = allocate(units, scores, request.sparsity, ctx.config.allocation);
      ctx.emit({ type: 'mask-end', units: units.length });
      return { ...result, timings: { scoring: performance.now() - started } };
    },
  });
}
