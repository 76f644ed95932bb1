import { type Modality, type PrunableView, type Pruner, definePruner, throwIfAborted } from '@vlp/core';
import { withDefaults } from '@vlp/baselines';
import * as z from 'zod';
import { fitRemoval, planRemoval, selectLayers, selectWidth } from './allocate.js';
import { type MopeModule, mopeModules } from './modules.js';
import { mopeConfigSchema } from './mope-config.js';
import { MOPE_MODALITIES } from './mope-pruner.js';
import { VERSION } from './version.js';

/** Config of {@link mopeMagnitude}: MoPE's module grouping and width/depth split. */
export const mopeMagnitudeConfigSchema = z.strictObject({ neuronGroups: mopeConfigSchema.shape.neuronGroups, depthShare: mopeConfigSchema.shape.depthShare });
export type MopeMagnitudeConfig = z.output<typeof mopeMagnitudeConfigSchema>;
export type MopeMagnitudeConfigInput = z.input<typeof mopeMagnitudeConfigSchema>;

/** L1 norm of the weights each module owns (its slices of its units). Abort is checked before each unit is read. */
export function moduleL1(view: PrunableView<unknown>, modules: readonly MopeModule[], signal?: AbortSignal): Float64Array {
  const data = new Map<string, { values: Float32Array; cols: number }>();
  const unitData = (name: string) => {
    let d = data.get(name);
    if (!d) {
      throwIfAborted(signal, `magnitude of ${name}`);
      const w = view.weight(name);
      d = { values: w.dataSync() as Float32Array, cols: w.shape[1] as number };
      data.set(name, d);
    }
    return d;
  };
  return Float64Array.from(modules, (m) => {
    let sum = 0;
    for (const s of m.structures) {
      for (const slice of s.slices) {
        const { values, cols } = unitData(slice.unit);
        const rows = values.length / cols;
        for (const i of slice.indices) {
          if (slice.axis === 'out') for (let c = 0; c < cols; c++) sum += Math.abs(values[i * cols + c] as number);
          else for (let r = 0; r < rows; r++) sum += Math.abs(values[r * cols + i] as number);
        }
      }
    }
    return sum;
  });
}

/**
 * The magnitude ablation of MoPE (the paper's "magnitude-based pruning" baseline): the same modules
 * (heads, MLP neuron groups, layers), the same budget, width-then-depth order and fit
 * (`planRemoval`, `selectLayers`, `fitRemoval`), but modules ranked by the L1 norm of their weights
 * instead of MoPE — no evaluator, no forward runs. A layer's score is the L1 norm of the width
 * modules it keeps after the width step. Pruner id `mope-magnitude`.
 */
export function mopeMagnitude(defaults?: MopeMagnitudeConfigInput): Pruner<MopeMagnitudeConfig, MopeMagnitudeConfigInput> {
  return definePruner<MopeMagnitudeConfig, MopeMagnitudeConfigInput>({
    id: 'mope-magnitude',
    displayName: 'Magnitude (MoPE structures)',
    version: VERSION,
    configSchema: withDefaults(mopeMagnitudeConfigSchema, defaults, 'mope-magnitude'),
    capabilities: {
      architectures: '*',
      modalities: MOPE_MODALITIES as readonly Modality[],
      granularity: 'structured',
      structures: ['head', 'neuron', 'layer'],
      requires: { calibration: false, gradients: false, training: false, evaluator: false },
    },
    async prune(view, request, ctx) {
      const { config } = ctx;
      const { width, layers } = mopeModules(view, request.scope?.modalities ?? MOPE_MODALITIES, config.neuronGroups);
      const plan = planRemoval(width, layers, request.sparsity, config.depthShare);
      const widthScores = moduleL1(view, width, ctx.signal);
      const widthRemoved = new Set(selectWidth(width, widthScores, plan.widthCounts));
      const layerScores = Float64Array.from(layers, (l) => width.reduce((sum, m, i) => sum + (m.blockId === l.blockId && !widthRemoved.has(m) ? (widthScores[i] as number) : 0), 0));
      const layersRemoved = selectLayers(width, layers, layerScores, plan.layerCounts, request.sparsity);
      const widthFinal = fitRemoval(width, widthScores, [...widthRemoved], layers, layersRemoved, request.sparsity);
      ctx.emit({ type: 'mask-end', units: view.units.length });
      return {
        structureMask: { removed: [...widthFinal, ...layersRemoved].flatMap((m) => m.structures.map((s) => s.id)) },
        metrics: {
          modules: width.length + layers.length,
          headsRemoved: widthFinal.filter((m) => m.kind === 'head').length,
          neuronGroupsRemoved: widthFinal.filter((m) => m.kind === 'neuron-group').length,
          layersRemoved: layersRemoved.length,
        },
      };
    },
  });
}
