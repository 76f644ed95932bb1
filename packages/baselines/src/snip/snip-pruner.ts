import { definePruner, throwIfAborted, type Pruner } from '@vlp/core';
import type * as tf from '@tensorflow/tfjs';
import { allocateMasks } from '../common/allocate.js';
import { PAPERS } from '../common/papers.js';
import { readWeight } from '../common/read-weight.js';
import { requirements } from '../common/requirements.js';
import { ALL_MODALITIES, unitsInScope } from '../common/scope.js';
import { scoreUnits } from '../common/score-units.js';
import { withDefaults } from '../common/with-defaults.js';
import { VERSION } from '../version.js';
import { accumulateGradients } from './accumulate-gradients.js';
import { normalizeSaliencies, snipScores } from './score.js';
import { type SnipConfig, type SnipConfigInput, snipConfigSchema } from './snip-config.js';

/**
 * SNIP (Lee et al., ICLR 2019), one-shot. Lifecycle:
 * 1. `g = Σ_b ∂L_b/∂W` of `ctx.task.loss` over the calibration batches, for every unit in scope
 *    (one backward per batch on the tfjs engine; `calibration-*` events);
 * 2. saliency `|g ⊙ w|` per unit (`unit-score-*` events), normalised by the sum over all units;
 * 3. prune the ⌊s·N⌋ lowest under one global threshold (default) or ⌊s·n⌋ per unit.
 * Needs calibration batches and a task with a synchronous, differentiable loss.
 */
export function snip(defaults?: SnipConfigInput): Pruner<SnipConfig, SnipConfigInput> {
  return definePruner<SnipConfig, SnipConfigInput>({
    id: 'snip',
    displayName: 'SNIP',
    version: VERSION,
    paper: PAPERS.snip,
    configSchema: withDefaults(snipConfigSchema, defaults, 'snip'),
    capabilities: {
      architectures: '*',
      modalities: ALL_MODALITIES,
      granularity: 'unstructured',
      requires: requirements({ calibration: true, gradients: true }),
    },
    async prune(view, request, ctx) {
      let started = performance.now();
      const units = unitsInScope(view, request);
      const weights: tf.Tensor2D[] = [];
      for (const unit of units) {
        throwIfAborted(ctx.signal, `reading ${unit.name}`);
        weights.push(view.weight(unit.name));
      }
      const gradients = await accumulateGradients(view, units, weights, ctx.calibration!, ctx.task!, ctx);
      const gradientMs = performance.now() - started;
      started = performance.now();
      const saliencies = await scoreUnits(units, ctx, async (unit) => snipScores(await readWeight(view, unit, ctx.signal), gradients.get(unit.name)!));
      const result = allocateMasks(units, normalizeSaliencies(saliencies), request.sparsity, ctx.config.scope);
      ctx.emit({ type: 'mask-end', units: units.length });
      return { ...result, timings: { gradients: gradientMs, scoring: performance.now() - started } };
    },
  });
}
