import { type Modality, type PrunableView, type Pruner, definePruner } from '@vlp/core';
import { fitRemoval, planRemoval, selectLayers, selectWidth } from './allocate.js';
import { type GateValues, openGates, withClosed } from './gates.js';
import { type MopeModule, gateGroupSizes, mopeModules } from './modules.js';
import { type MopeConfig, type MopeConfigInput, mopeConfigSchema } from './mope-config.js';
import { MOPE_PAPER } from './paper.js';
import { countingMetric, moduleWisePruningErrors } from './score.js';
import { taskMetric } from './task-metric.js';
import { towerSource } from './gated-tasks.js';
import { type TowerMetric, type TwoTowerBatch, towerMetricValue, towerRetrievalMetric } from './tower-cache.js';
import { VERSION } from './version.js';
import { withDefaults } from '@vlp/baselines';

/** Every modality MoPE prunes (BLIP cross-attention heads are `fusion` modules). */
export const MOPE_MODALITIES: readonly Modality[] = Object.freeze(['vision', 'text', 'fusion']);

/** `base` with every module of `removed` closed. */
function closeAll(base: GateValues, removed: readonly MopeModule[]): GateValues {
  return removed.reduce<GateValues>((gates, m) => withClosed(gates, m.group, m.indices), base);
}

/**
 * MoPE-CLIP (Lin et al., CVPR 2024): structured width-then-depth pruning by module-wise pruning
 * error. Lifecycle:
 * 1. Z = the task's metric (`primaryMetric` or `metric`) as a function of the view's gates, fed to
 *    one ONNX session (`engine`); all gate groups are fed on every run;
 * 2. width: MoPE (eq. 1) of every head and MLP neuron group of the encoders in scope, relative to
 *    the dense model (`unit-score-*` per module, abort checked); per attention / MLP the lowest-MoPE
 *    modules are removed to the planned per-layer width (`planRemoval`);
 * 3. depth: MoPE of every layer relative to the width-pruned model (gates); per encoder the
 *    lowest-MoPE layers are removed;
 * 4. returns the structure mask (removed heads, neurons of removed groups, layers); `prune()` applies
 *    it as unit masks, `compactClip` / `compactBlip` remove it physically.
 * Distillation recovery is a separate step (not part of `prune()`).
 *
 * @example
 * const report = await prune(mope(), clipView(model), { sparsity: 0.3, seed: 0 }, { task: gatedRetrievalTask({ batches }) });
 */
export function mope(defaults?: MopeConfigInput): Pruner<MopeConfig, MopeConfigInput> {
  return definePruner<MopeConfig, MopeConfigInput>({
    id: 'mope',
    displayName: 'MoPE-CLIP',
    version: VERSION,
    paper: MOPE_PAPER,
    configSchema: withDefaults(mopeConfigSchema, defaults, 'mope'),
    capabilities: {
      architectures: '*',
      modalities: MOPE_MODALITIES,
      granularity: 'structured',
      structures: ['head', 'neuron', 'layer'],
      requires: { calibration: false, gradients: false, training: false, evaluator: true },
    },
    async prune(view, request, ctx) {
      const { config } = ctx;
      const modalities = request.scope?.modalities ?? MOPE_MODALITIES;
      const { width, layers } = mopeModules(view, modalities, config.neuronGroups);
      const plan = planRemoval(width, layers, request.sparsity, config.depthShare);
      const towers = towerSource(ctx.task);
      const metricName = config.metric ?? ctx.task?.primaryMetric ?? 'r1Mean';
      let tower: TowerMetric | undefined;
      if (towers && config.towerCache && ['r1Mean', 'i2tR1', 't2iR1'].includes(metricName)) {
        tower = towerRetrievalMetric(view as unknown as PrunableView<TwoTowerBatch>, towers.batches, { layout: towers.layout, engine: config.engine, signal: ctx.signal, cache: true });
      }
      const gated = tower ? towerMetricValue(tower, metricName) : taskMetric(view, ctx.task, { metric: config.metric, engine: config.engine, signal: ctx.signal });
      const metric = countingMetric(gated, config.cache);
      const dense = openGates(gateGroupSizes(view));
      const emit = ctx.emit;

      let started = performance.now();
      const widthErrors = await moduleWisePruningErrors(metric, dense, width, { signal: ctx.signal, emit });
      const widthRemoved = selectWidth(width, widthErrors, plan.widthCounts);
      const widthGates = closeAll(dense, widthRemoved);
      const widthMs = performance.now() - started;

      started = performance.now();
      const layerErrors = await moduleWisePruningErrors(metric, widthGates, layers, { signal: ctx.signal, emit });
      const layersRemoved = selectLayers(width, layers, layerErrors, plan.layerCounts, request.sparsity);
      const widthFinal = fitRemoval(width, widthErrors, widthRemoved, layers, layersRemoved, request.sparsity);
      const depthMs = performance.now() - started;
      ctx.emit({ type: 'mask-end', units: view.units.length });

      const removed = [...widthFinal, ...layersRemoved].flatMap((m) => m.structures.map((s) => s.id));
      const denseMetric = await metric(dense);
      const widthMetric = await metric(widthGates);
      const { evaluations, cacheHits, milliseconds } = metric.stats;
      return {
        structureMask: { removed },
        timings: { width: widthMs, depth: depthMs, evaluation: milliseconds },
        metrics: {
          evaluations,
          cacheHits,
          modules: width.length + layers.length,
          denseMetric,
          widthPrunedMetric: widthMetric,
          headsRemoved: widthFinal.filter((m) => m.kind === 'head').length,
          neuronGroupsRemoved: widthFinal.filter((m) => m.kind === 'neuron-group').length,
          layersRemoved: layersRemoved.length,
          ...(tower ? { fullRuns: tower.stats.fullRuns, towerRuns: tower.stats.towerRuns, towerCacheHits: tower.stats.towerHits, runMs: tower.stats.milliseconds } : {}),
        },
        notes: [
          `MoPE over ${width.length} width module(s) and ${layers.length} layer(s): ${evaluations} evaluation(s) on the ${config.engine} engine (${cacheHits} cached), ${milliseconds.toFixed(0)} ms`,
          ...(tower ? [`per-tower cache: ${tower.stats.fullRuns} full run(s), ${tower.stats.towerRuns} single-tower run(s), ${tower.stats.towerHits} tower embedding(s) reused`] : []),
          ...[...plan.widthFraction].map(([enc, w]) => `${enc}: width fraction ${w.toFixed(3)} per layer, ${plan.layerCounts.get(enc) ?? 0} layer(s) removed`),
        ],
      };
    },
  });
}
