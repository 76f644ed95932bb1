import { definePruner, type Pruner } from '@vlp/core';
import { allocateMasks } from '../common/allocate.js';
import { PAPERS } from '../common/papers.js';
import { readWeight } from '../common/read-weight.js';
import { requirements } from '../common/requirements.js';
import { ALL_MODALITIES, unitsInScope } from '../common/scope.js';
import { scoreUnits } from '../common/score-units.js';
import { withDefaults } from '../common/with-defaults.js';
import { VERSION } from '../version.js';
import { type LampConfig, type LampConfigInput, lampConfigSchema } from './lamp-config.js';
import { lampScores } from './score.js';

/**
 * LAMP (Lee et al., ICLR 2021). Lifecycle:
 * 1. score every unit in scope with its LAMP scores (`unit-score-start`/`-end`, abort checked);
 * 2. prune the ⌊s·N⌋ lowest scores under one global threshold (the per-layer sparsities follow).
 * Needs no data.
 */
export function lamp(defaults?: LampConfigInput): Pruner<LampConfig, LampConfigInput> {
  return definePruner<LampConfig, LampConfigInput>({
    id: 'lamp',
    displayName: 'LAMP',
    version: VERSION,
    paper: PAPERS.lamp,
    configSchema: withDefaults(lampConfigSchema, defaults, 'lamp'),
    capabilities: { architectures: '*', modalities: ALL_MODALITIES, granularity: 'unstructured', requires: requirements() },
    async prune(view, request, ctx) {
      const started = performance.now();
      const units = unitsInScope(view, request);
      const scores = await scoreUnits(units, ctx, async (unit) => lampScores(await readWeight(view, unit, ctx.signal)));
      const result = allocateMasks(units, scores, request.sparsity, 'global');
      ctx.emit({ type: 'mask-end', units: units.length });
      return { ...result, timings: { scoring: performance.now() - started } };
    },
  });
}
