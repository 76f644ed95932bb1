import { type Modality, NotSupportedError, type Pruner, type PruneResult, definePruner, throwIfAborted } from '@vlp/core';
import { collectMaskGroups } from './mask-groups.js';
import { UPOP_PAPER } from './paper.js';
import { runSearch } from './search.js';
import { type UpopConfig, type UpopConfigInput, upopConfigSchema } from './upop-config.js';
import { VERSION } from './version.js';
import { withDefaults } from '@vlp/baselines';

/** Modalities UPop prunes: every tower, BLIP cross-attention (`fusion`) included. */
export const UPOP_MODALITIES: readonly Modality[] = Object.freeze(['vision', 'text', 'fusion']);

/**
 * UPop (Shi et al., ICML 2023): unified and progressive structured pruning. Lifecycle:
 * 1. masks ζ: the view's `head-channel` (per-head channel shared by the heads of a module) and
 *    `neuron` (MLP fc1 output) gate groups in scope, initialised to 1;
 * 2. search (`searchSteps` steps on `ctx.task.train`, {@link runSearch}): task loss + L1 on the masks,
 *    weights trained with AdamW, mask gradients accumulated; every `interval` steps and at the last
 *    one the unified ranking sets the pruned set to `1 − π_t/p` (0 at the end), `step-end` events;
 * 3. optional retraining (`retrainSteps`) with the final masks fixed;
 * 4. result: `structureMask.removed` = the final pruned set (`prune()` zeroes its rows/columns;
 *    `compactClip` / `compactBlip` slice them away) and the trained weights (applied with
 *    `view.setWeights`; omitted, with a note, when the view has none).
 * `request.sparsity` is the target p (fraction of the prunable parameters removed).
 *
 * @example
 * const report = await prune(upop({ searchSteps: 200, interval: 4 }), clipView(model), { sparsity: 0.5, seed: 0 }, { task });
 */
export function upop(defaults?: UpopConfigInput): Pruner<UpopConfig, UpopConfigInput> {
  return definePruner<UpopConfig, UpopConfigInput>({
    id: 'upop',
    displayName: 'UPop',
    version: VERSION,
    paper: UPOP_PAPER,
    configSchema: withDefaults(upopConfigSchema, defaults, 'upop'),
    capabilities: {
      architectures: '*',
      modalities: UPOP_MODALITIES,
      granularity: 'structured',
      structures: ['head-channel', 'neuron'],
      requires: { calibration: false, gradients: true, training: true, evaluator: false },
    },
    async prune(view, request, ctx): Promise<PruneResult> {
      const started = performance.now();
      const modalities = request.scope?.modalities ?? UPOP_MODALITIES;
      const groups = collectMaskGroups(view, modalities);
      if (groups.length === 0) {
        throw new NotSupportedError({ message: `The ${view.architecture} view has no head-channel or neuron structures in ${modalities.join(', ')}; UPop prunes only those.` });
      }
      const task = ctx.task;
      if (!task?.loss || !task.train) {
        throw new NotSupportedError({ message: 'UPop trains on the task: pass a task with `loss` and `train` batches (e.g. clipTask(model, { train })).' });
      }
      if (request.sparsity === 0) return { structureMask: { removed: [] }, notes: ['sparsity 0: nothing to search'] };
      const owned = new Set(groups.flatMap((g) => g.structures));
      const trainable = ctx.config.trainWeights
        ? [...new Set(view.structures.filter((s) => owned.has(s.id)).flatMap((s) => s.slices.map((sl) => sl.unit)))]
        : [];
      const search = await runSearch({ view, task: { ...task, loss: task.loss, train: task.train }, groups, trainable, p: request.sparsity, config: ctx.config, signal: ctx.signal, emit: ctx.emit });
      throwIfAborted(ctx.signal, 'UPop after the search');
      const removed = groups.flatMap((g, i) => g.structures.filter((_, j) => search.last.pruned[i]![j] === 1));
      ctx.emit({ type: 'mask-end', units: trainable.length });
      const notes: string[] = [];
      const keepWeights = search.weights.size > 0 && typeof view.setWeights === 'function';
      if (search.weights.size > 0 && !keepWeights) notes.push('the view has no setWeights(): the weights trained during the search were discarded');
      const count = (kind: 'attn' | 'mlp') => groups.filter((g) => g.kind === kind).reduce((n, g) => n + g.structures.length, 0);
      const removedOf = (kind: 'attn' | 'mlp') => groups.reduce((n, g, i) => (g.kind === kind ? n + search.last.pruned[i]!.reduce((a, b) => a + b, 0) : n), 0);
      return {
        structureMask: { removed },
        ...(keepWeights ? { weights: search.weights } : {}),
        timings: { search: performance.now() - started },
        metrics: {
          prunedWeightFraction: search.last.prunedWeightFraction,
          attnChannelsRemoved: removedOf('attn'),
          attnChannels: count('attn'),
          mlpNeuronsRemoved: removedOf('mlp'),
          mlpNeurons: count('mlp'),
          finalLoss: search.losses[search.losses.length - 1] ?? Number.NaN,
        },
        notes,
      };
    },
  });
}
