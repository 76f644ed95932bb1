import { type Modality, type Pruner, definePruner, kForSparsity, pruneLowestGlobal, throwIfAborted } from '@vlp/core';
import { type RowNormConfig, type RowNormConfigInput, rowNormConfigSchema } from './row-norm-config.js';
import { rowNormalizedScores } from './score.js';

const MODALITIES: readonly Modality[] = ['vision', 'text', 'fusion'];

/**
 * Row-normalised magnitude pruning. Lifecycle:
 * 1. the units in scope are `view.units` of the request's modalities (default: all);
 * 2. for each unit (checking `ctx.signal` and emitting `unit-score-start` / `unit-score-end`),
 *    read its weight and score it with {@link rowNormalizedScores};
 * 3. prune the `sparsity · N` lowest scores over all units under one global threshold;
 * 4. return the masks; `prune()` in @vlp/core verifies and applies them.
 * Needs no calibration data, no gradients and no task; deterministic (ties: lowest index first).
 */
export function rowNorm(): Pruner<RowNormConfig, RowNormConfigInput> {
  return definePruner<RowNormConfig, RowNormConfigInput>({
    id: 'row-norm',
    displayName: 'Row-normalised magnitude (example plugin)',
    version: '0.1.0',
    configSchema: rowNormConfigSchema,
    capabilities: {
      architectures: '*',
      modalities: MODALITIES,
      granularity: 'unstructured',
      requires: { calibration: false, gradients: false, training: false, evaluator: false },
    },
    async prune(view, request, ctx) {
      const started = performance.now();
      const modalities = request.scope?.modalities ?? MODALITIES;
      const units = view.units.filter((u) => modalities.includes(u.modality));
      const scores = new Map<string, Float32Array>();
      for (const [index, unit] of units.entries()) {
        throwIfAborted(ctx.signal, `scoring ${unit.name}`);
        ctx.emit({ type: 'unit-score-start', unit: unit.name, index, total: units.length });
        const weights = (await view.weight(unit.name).data()) as Float32Array; // owned by the view: not disposed
        scores.set(unit.name, rowNormalizedScores(weights, unit.shape, ctx.config.norm));
        ctx.emit({ type: 'unit-score-end', unit: unit.name, index, total: units.length });
      }
      const numel = units.reduce((n, u) => n + u.shape[0] * u.shape[1], 0);
      const masks = pruneLowestGlobal(scores, kForSparsity(numel, request.sparsity));
      ctx.emit({ type: 'mask-end', units: units.length });
      return { masks, timings: { scoring: performance.now() - started } };
    },
  });
}
