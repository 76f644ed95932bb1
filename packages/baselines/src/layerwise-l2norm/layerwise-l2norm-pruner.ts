import { definePruner, type Pruner } from '@vlp/core';
import { allocateMasks } from '../common/allocate.js';
import { PAPERS } from '../common/papers.js';
import { readWeight } from '../common/read-weight.js';
import { requirements } from '../common/requirements.js';
import { ALL_MODALITIES, unitsInScope } from '../common/scope.js';
import { scoreUnits } from '../common/score-units.js';
import { withDefaults } from '../common/with-defaults.js';
import { VERSION } from '../version.js';
import {
  type LayerwiseL2NormConfig,
  type LayerwiseL2NormConfigInput,
  layerwiseL2NormConfigSchema,
} from './layerwise-l2norm-config.js';
import { l2NormalizedScores } from './score.js';

/**
 * LayerWiseL2Norm (MULTIFLOW's ablation baseline). Lifecycle:
 * 1. score every unit in scope by |w| / ‖W‖_F (`unit-score-start`/`-end`, abort checked per unit);
 * 2. prune the ⌊s·N⌋ lowest scores under one global threshold.
 * Needs no data.
 */
export function layerwiseL2Norm(defaults?: LayerwiseL2NormConfigInput): Pruner<LayerwiseL2NormConfig, LayerwiseL2NormConfigInput> {
  return definePruner<LayerwiseL2NormConfig, LayerwiseL2NormConfigInput>({
    id: 'layerwise-l2norm',
    displayName: 'LayerWiseL2Norm',
    version: VERSION,
    paper: PAPERS.multiflow,
    configSchema: withDefaults(layerwiseL2NormConfigSchema, defaults, 'layerwiseL2Norm'),
    capabilities: { architectures: '*', modalities: ALL_MODALITIES, granularity: 'unstructured', requires: requirements() },
    async prune(view, request, ctx) {
      const started = performance.now();
      const units = unitsInScope(view, request);
      const scores = await scoreUnits(units, ctx, async (unit) => l2NormalizedScores(await readWeight(view, unit, ctx.signal)));
      const result = allocateMasks(units, scores, request.sparsity, 'global');
      ctx.emit({ type: 'mask-end', units: units.length });
      return { ...result, timings: { scoring: performance.now() - started } };
    },
  });
}
