import * as tf from '@tensorflow/tfjs';
import { definePruner, type Pruner } from '@vlp/core';
import { masksForRemaining, withUnprunedUnits } from './apply-rule.js';
import { ALL_MODALITIES } from './capabilities.js';
import { type IdMetricConfig, type IdMetricConfigInput, idMetricConfigSchema } from './id-metric-config.js';
import { PAPER } from './paper.js';
import { resolveIds } from './resolve-ids.js';
import { idScaledScore, magnitudeSensitivity } from './score.js';
import { selectUnits } from './select-units.js';
import { VERSION } from './version.js';
import { withDefaults } from '@vlp/baselines';

/**
 * ID-guided pruning, one-shot mode (Wang, Zhang & Ma, ICML 2024; "Magnitude + ID"). Lifecycle:
 * 1. select the units in scope (without self-attention q/k/v when `excludeQkv`);
 * 2. measure each unit's output ID with TwoNN on `samples` calibration samples (`calibration-*` and
 *    `unit-score-*` events), unless given in `ids`;
 * 3. score `S = |θ| · ID_l` and mask once at the requested sparsity under one global threshold
 *    (`thresholdRule`: the official per-tensor rule by default).
 * No gradients, no fine-tuning: the mode for large models on CPU. The IDs are reported in
 * `metrics` as `id:<unit>`.
 */
export function idMetric(defaults?: IdMetricConfigInput): Pruner<IdMetricConfig, IdMetricConfigInput> {
  return definePruner<IdMetricConfig, IdMetricConfigInput>({
    id: 'id-metric',
    displayName: 'Intrinsic dimension × magnitude (one-shot)',
    version: VERSION,
    paper: PAPER,
    configSchema: withDefaults(idMetricConfigSchema, defaults, 'idMetric'),
    capabilities: {
      architectures: '*',
      modalities: ALL_MODALITIES,
      granularity: 'unstructured',
      requires: { calibration: true, gradients: false, training: false, evaluator: false },
    },
    async prune(view, request, ctx) {
      const started = performance.now();
      const { scoped, pruned, sparsity } = selectUnits(view, request, ctx.config.excludeQkv);
      const ids = await resolveIds(view, pruned, ctx.config, ctx);
      const measured = performance.now();
      const scores = new Map<string, Float32Array>();
      for (const unit of pruned) {
        const s = tf.tidy(() => idScaledScore(magnitudeSensitivity(view.weight(unit.name)), ids.get(unit.name)!));
        scores.set(unit.name, Float32Array.from((await s.data()) as Float32Array));
        s.dispose();
      }
      const masks = withUnprunedUnits(masksForRemaining(scores, 1 - sparsity, ctx.config.thresholdRule), scoped);
      ctx.emit({ type: 'mask-end', units: pruned.length });
      return {
        masks,
        timings: { calibration: measured - started, scoring: performance.now() - measured },
        metrics: Object.fromEntries([...ids].map(([unit, id]) => [`id:${unit}`, id])),
        notes: pruned.length < scoped.length ? [`excludeQkv: q/k/v left dense; the other units pruned to ${sparsity.toFixed(4)}.`] : [],
      };
    },
  });
}
