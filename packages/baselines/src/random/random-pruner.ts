import { definePruner, type Pruner } from '@vlp/core';
import { allocateMasks } from '../common/allocate.js';
import { requirements } from '../common/requirements.js';
import { ALL_MODALITIES, unitsInScope } from '../common/scope.js';
import { scoreUnits } from '../common/score-units.js';
import { withDefaults } from '../common/with-defaults.js';
import { VERSION } from '../version.js';
import { type RandomConfig, type RandomConfigInput, randomConfigSchema } from './random-config.js';
import { randomScores } from './score.js';

/**
 * Random pruning, the sanity baseline. Lifecycle:
 * 1. every unit in scope gets uniform scores from `ctx.rng.split(unitName)` (no weight is read);
 * 2. the lowest scores are pruned under one global threshold (default) or per unit.
 * Same `request.seed` → same masks. `defaults` are config defaults under the run's config.
 */
export function random(defaults?: RandomConfigInput): Pruner<RandomConfig, RandomConfigInput> {
  return definePruner<RandomConfig, RandomConfigInput>({
    id: 'random',
    displayName: 'Random',
    version: VERSION,
    configSchema: withDefaults(randomConfigSchema, defaults, 'random'),
    capabilities: { architectures: '*', modalities: ALL_MODALITIES, granularity: 'unstructured', requires: requirements() },
    async prune(view, request, ctx) {
      const started = performance.now();
      const units = unitsInScope(view, request);
      const scores = await scoreUnits(units, ctx, (unit) => randomScores(ctx.rng.split(unit.name), unit.shape[0] * unit.shape[1]));
      const result = allocateMasks(units, scores, request.sparsity, ctx.config.scope);
      ctx.emit({ type: 'mask-end', units: units.length });
      return { ...result, timings: { scoring: performance.now() - started } };
    },
  });
}
