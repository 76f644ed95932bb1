import { type Modality, type Pruner, definePruner } from '@vlp/core';
import { planRemoval } from './allocate.js';
import { type GateValues, openGates, withClosed } from './gates.js';
import { type MopeModule, gateGroupSizes, mopeModules } from './modules.js';
import { type MopeConfig, type MopeConfigInput, mopeConfigSchema } from './mope-config.js';
import { MOPE_PAPER } from './paper.js';
import { countingMetric, lowestMope, moduleWisePruningErrors } from './score.js';
import { taskMetric } from './task-metric.js';
import { VERSION } from './version.js';
import { withDefaults } from '@vlp/baselines';

/** Every modality MoPE prunes (BLIP cross-attention heads are `fusion` modules). */
export const MOPE_MODALITIES: readonly Modality[] = Object.freeze(['vision', 'text', 'fusion']);

/** `base` with every module of `removed` closed. */
function closeAll(base: GateValues, removed: readonly MopeModule[]): GateValues {
  return removed.reduce<GateValues>((gates, m) => withClosed(gates, m.group, m.indices), base);
}

/** The modules to remove in each family (`counts` per family key), lowest MoPE first. */
function selectLowest(modules: readonly MopeModule[], errors: Float64Array, counts: ReadonlyMap<string, number>, key: (m: MopeModule) => string): MopeModule[] {
  const removed: MopeModule[] = [];
  for (const [family, count] of counts) {
    const members = modules.map((m, i) => ({ m, i })).filter(({ m }) => key(m) === family);
    for (const j of lowestMope(members.map(({ i }) => errors[i] as number), count)) removed.push((members[j] as { m: MopeModule }).m);
  }
  return removed;
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
      const metric = countingMetric(taskMetric(view, ctx.task, { metric: config.metric, engine: config.engine, signal: ctx.signal }), config.cache);
      const dense = openGates(gateGroupSizes(view));
      const emit = ctx.emit;

      let started = performance.now();
      const widthErrors = await moduleWisePruningErrors(metric, dense, width, { signal: ctx.signal, emit });
      const widthRemoved = selectLowest(width, widthErrors, plan.widthCounts, (m) => m.family);
      const widthGates = closeAll(dense, widthRemoved);
      const widthMs = performance.now() - started;

      started = performance.now();
      const layerErrors = await moduleWisePruningErrors(metric, widthGates, layers, { signal: ctx.signal, emit });
      const layersRemoved = selectLowest(layers, layerErrors, plan.layerCounts, (m) => m.modality);
      const depthMs = performance.now() - started;
      ctx.emit({ type: 'mask-end', units: view.units.length });

      const goneBlocks = new Set(layersRemoved.map((m) => m.blockId));
      const removed = [...widthRemoved.filter((m) => !goneBlocks.has(m.blockId)), ...layersRemoved].flatMap((m) => m.structures.map((s) => s.id));
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
          headsRemoved: widthRemoved.filter((m) => m.kind === 'head').length,
          neuronGroupsRemoved: widthRemoved.filter((m) => m.kind === 'neuron-group').length,
          layersRemoved: layersRemoved.length,
        },
        notes: [
          `MoPE over ${width.length} width module(s) and ${layers.length} layer(s): ${evaluations} evaluation(s) on the ${config.engine} engine (${cacheHits} cached), ${milliseconds.toFixed(0)} ms`,
          ...[...plan.widthFraction].map(([enc, w]) => `${enc}: width fraction ${w.toFixed(3)} per layer, ${plan.layerCounts.get(enc) ?? 0} layer(s) removed`),
        ],
      };
    },
  });
}
