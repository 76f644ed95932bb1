import { type CalibrationSource, definePruner, type Pruner, throwIfAborted } from '@vlp/core';
import { withUnprunedUnits } from './apply-rule.js';
import { ALL_MODALITIES } from './capabilities.js';
import { fineTuneAndPrune } from './fine-tune-loop.js';
import { type IdIterativeConfig, type IdIterativeConfigInput, idIterativeConfigSchema } from './id-iterative-config.js';
import { PAPER } from './paper.js';
import { resolveIds } from './resolve-ids.js';
import { scheduleOptions } from './schedule.js';
import { selectUnits } from './select-units.js';
import { VERSION } from './version.js';
import { withDefaults } from '@vlp/baselines';

async function countBatches<B>(source: CalibrationSource<B>, signal: AbortSignal): Promise<number> {
  if (source.size !== undefined) return source.size;
  let n = 0;
  for await (const _ of source.batches()) {
    throwIfAborted(signal, 'counting training batches');
    n++;
  }
  return n;
}

/**
 * ID-guided iterative pruning (Wang, Zhang & Ma, ICML 2024, Algorithm 1). Lifecycle:
 * 1. select the units in scope (without self-attention q/k/v when `excludeQkv`);
 * 2. measure each unit's output ID with TwoNN on the calibration data (or take `ids`);
 * 3. fine-tune on `task.train` (else the calibration data) for `epochs` with AdamW; after every
 *    step update the importance (`platon` EMAs / `taylor` / `magnitude`) and, on the cubic
 *    schedule's masking steps, zero the weights whose `score · ID_l` falls under the global threshold
 *    (`step-end` events with the loss);
 * 4. return the last masks (the final ratio `1 − sparsity`) and the fine-tuned weights, which
 *    `prune()` writes into the view with `setWeights` before applying the masks.
 * Needs a synchronous, differentiable task loss on the tfjs engine: small models or GPU backends.
 */
export function idMetricIterative(defaults?: IdIterativeConfigInput): Pruner<IdIterativeConfig, IdIterativeConfigInput> {
  return definePruner<IdIterativeConfig, IdIterativeConfigInput>({
    id: 'id-metric-iterative',
    displayName: 'Intrinsic dimension × PLATON / Taylor / magnitude (iterative)',
    version: VERSION,
    paper: PAPER,
    configSchema: withDefaults(idIterativeConfigSchema, defaults, 'idMetricIterative'),
    capabilities: {
      architectures: '*',
      modalities: ALL_MODALITIES,
      granularity: 'unstructured',
      requires: { calibration: true, gradients: true, training: true, evaluator: false },
    },
    async prune(view, request, ctx) {
      const started = performance.now();
      const { scoped, pruned, sparsity } = selectUnits(view, request, ctx.config.excludeQkv);
      const ids = ctx.config.useId ? await resolveIds(view, pruned, ctx.config, ctx) : new Map(pruned.map((u) => [u.name, 1]));
      const measured = performance.now();
      const data = ctx.task!.train ?? ctx.calibration!;
      const batches = await countBatches(data, ctx.signal);
      const schedule = scheduleOptions(ctx.config, batches, sparsity);
      const run = await fineTuneAndPrune(view, pruned, ids, data, ctx.task!, ctx.config, schedule, ctx);
      ctx.emit({ type: 'mask-end', units: pruned.length });
      const notes: string[] = [];
      if (!ctx.task!.train) notes.push('task.train is missing: fine-tuned on the calibration batches.');
      if (pruned.length < scoped.length) notes.push(`excludeQkv: q/k/v left dense; the other units pruned to ${sparsity.toFixed(4)}.`);
      return {
        masks: withUnprunedUnits(run.masks, scoped),
        weights: run.weights,
        timings: { calibration: measured - started, training: performance.now() - measured },
        metrics: { steps: run.steps, maskings: run.maskings, finalLoss: run.finalLoss, ...Object.fromEntries([...ids].map(([unit, id]) => [`id:${unit}`, id])) },
        notes,
      };
    },
  });
}
