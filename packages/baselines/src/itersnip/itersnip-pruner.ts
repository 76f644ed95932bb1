import * as tf from '@tensorflow/tfjs';
import { definePruner, exponentialSchedule, throwIfAborted, type PrunableUnit, type Pruner } from '@vlp/core';
import { allocateMasks } from '../common/allocate.js';
import { PAPERS } from '../common/papers.js';
import { readWeight } from '../common/read-weight.js';
import { requirements } from '../common/requirements.js';
import { ALL_MODALITIES, unitsInScope } from '../common/scope.js';
import { scoreUnits } from '../common/score-units.js';
import { withDefaults } from '../common/with-defaults.js';
import { accumulateGradients } from '../snip/accumulate-gradients.js';
import { VERSION } from '../version.js';
import { type IterSnipConfig, type IterSnipConfigInput, iterSnipConfigSchema } from './itersnip-config.js';
import { iterSnipScores } from './score.js';

function masked(weight: Float32Array, mask: Uint8Array): Float32Array {
  return weight.map((w, i) => (mask[i] === 0 ? 0 : w));
}

/**
 * IterSNIP (de Jorge et al., ICLR 2021; MULTIFLOW's baseline). Lifecycle, for rounds t = 0…T−1:
 * 1. zero the weights pruned so far and compute `g = Σ_b ∂L_b/∂W` of `ctx.task.loss` at those
 *    masked weights over the calibration batches (`calibration-*` events);
 * 2. saliency `|g ⊙ w|` per unit, already-pruned weights scored below everything
 *    (`unit-score-*` events);
 * 3. prune to `s_t = 1 − (1 − s)^((t+1)/T)` (core's `exponentialSchedule`) under one global
 *    threshold (default) or per unit; emit `step-end`.
 * The returned masks are those of the last round (exactly s). Needs calibration batches and a task
 * with a synchronous, differentiable loss.
 */
export function iterSnip(defaults?: IterSnipConfigInput): Pruner<IterSnipConfig, IterSnipConfigInput> {
  return definePruner<IterSnipConfig, IterSnipConfigInput>({
    id: 'itersnip',
    displayName: 'IterSNIP',
    version: VERSION,
    paper: PAPERS.itersnip,
    configSchema: withDefaults(iterSnipConfigSchema, defaults, 'iterSnip'),
    capabilities: {
      architectures: '*',
      modalities: ALL_MODALITIES,
      granularity: 'unstructured',
      requires: requirements({ calibration: true, gradients: true }),
    },
    async prune(view, request, ctx) {
      const started = performance.now();
      const { rounds, scope } = ctx.config;
      const units: PrunableUnit[] = unitsInScope(view, request);
      const originals = new Map<string, Float32Array>();
      for (const unit of units) originals.set(unit.name, await readWeight(view, unit, ctx.signal));
      let masks = new Map<string, Uint8Array>(units.map((u) => [u.name, new Uint8Array(u.shape[0] * u.shape[1]).fill(1)]));
      for (let round = 0; round < rounds; round++) {
        throwIfAborted(ctx.signal, `IterSNIP round ${round}`);
        const current = new Map(units.map((u) => [u.name, masked(originals.get(u.name)!, masks.get(u.name)!)]));
        const tensors = units.map((u) => tf.tensor2d(current.get(u.name)!, [...u.shape]));
        let gradients: Map<string, Float64Array>;
        try {
          gradients = await accumulateGradients(view, units, tensors, ctx.calibration!, ctx.task!, ctx);
        } finally {
          tf.dispose(tensors);
        }
        const scores = await scoreUnits(units, ctx, (unit) =>
          iterSnipScores(current.get(unit.name)!, gradients.get(unit.name)!, masks.get(unit.name)!),
        );
        const sparsity = exponentialSchedule(round, { sparsity: request.sparsity, rounds });
        masks = allocateMasks(units, scores, sparsity, scope).masks as Map<string, Uint8Array>;
        ctx.emit({ type: 'step-end', step: round, total: rounds });
      }
      ctx.emit({ type: 'mask-end', units: units.length });
      const targets = scope === 'layer' ? new Map(units.map((u) => [u.name, request.sparsity])) : undefined;
      return { masks, ...(targets ? { targets } : {}), timings: { scoring: performance.now() - started } };
    },
  });
}
