import { definePruner, type Pruner } from '@vlp/core';
import { allocateMasks } from '../common/allocate.js';
import { PAPERS } from '../common/papers.js';
import { readWeight } from '../common/read-weight.js';
import { requirements } from '../common/requirements.js';
import { ALL_MODALITIES, unitsInScope } from '../common/scope.js';
import { scoreUnits } from '../common/score-units.js';
import { withDefaults } from '../common/with-defaults.js';
import { VERSION } from '../version.js';
import { type MagnitudeConfig, type MagnitudeConfigInput, magnitudeConfigSchema } from './magnitude-config.js';
import { magnitudeScores } from './score.js';

/**
 * Magnitude pruning. Lifecycle:
 * 1. score every unit in scope by |w| (`unit-score-start`/`-end`, abort checked per unit);
 * 2. prune the lowest scores: ⌊s·n⌋ per unit (`scope: 'layer'`, default) or ⌊s·N⌋ under one global
 *    threshold (`scope: 'global'`, one-shot global magnitude "OMP").
 * Needs no data. `defaults` are config defaults under the run's config.
 */
export function magnitude(defaults?: MagnitudeConfigInput): Pruner<MagnitudeConfig, MagnitudeConfigInput> {
  return definePruner<MagnitudeConfig, MagnitudeConfigInput>({
    id: 'magnitude',
    displayName: 'Magnitude',
    version: VERSION,
    paper: PAPERS.magnitude,
    configSchema: withDefaults(magnitudeConfigSchema, defaults, 'magnitude'),
    capabilities: { architectures: '*', modalities: ALL_MODALITIES, granularity: 'unstructured', requires: requirements() },
    async prune(view, request, ctx) {
      const started = performance.now();
      const units = unitsInScope(view, request);
      const scores = await scoreUnits(units, ctx, async (unit) => magnitudeScores(await readWeight(view, unit, ctx.signal)));
      const result = allocateMasks(units, scores, request.sparsity, ctx.config.scope);
      ctx.emit({ type: 'mask-end', units: units.length });
      return { ...result, timings: { scoring: performance.now() - started } };
    },
  });
}
