import * as tf from '@tensorflow/tfjs';
import { type PrunableView, type RunOptions, type Structure, type TaskAdapter, prune } from '@vlp/core';
import { type SyntheticBatch, type SyntheticView, createSyntheticView, syntheticBatch, syntheticTask } from '@vlp/testkit';
import { createRng } from '@vlp/core';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { openGates } from './gates.js';
import { gateGroupSizes, mopeModules } from './modules.js';
import { mope } from './mope-pruner.js';
import { countingMetric, moduleWisePruningErrors } from './score.js';
import { taskMetric } from './task-metric.js';
import { mopeConfigDefaults } from './mope-config.js';

describePrunerConformance(mope({ engine: 'tfjs' }), {
  validConfigs: [{}, { depthShare: 0 }, { neuronGroups: { kind: 'size', size: 4 } }, { cache: false }, { metric: 'accuracy' }],
  invalidConfigs: [
    { config: { depthShare: 1.5 }, path: ['depthShare'] },
    { config: { neuronGroups: { kind: 'count', count: 0 } }, path: ['neuronGroups', 'count'] },
    { config: { neuronGroups: { kind: 'chunks' } }, path: ['neuronGroups', 'kind'] },
    { config: { engine: 'webgpu' }, path: ['engine'] },
    { config: { groupSize: 64 }, path: [] },
  ],
});

/**
 * Fidelity task: Z = −mean((logits − dense logits)²) on a held-out batch, so Z[f] = 0 and every
 * removal has MoPE ≥ 0 (continuous, no ties between modules that matter).
 */
function fidelityTask(view: PrunableView<SyntheticBatch>, batch: SyntheticBatch): TaskAdapter<SyntheticBatch> & { dispose(): void } {
  let reference: tf.Tensor | undefined;
  return {
    id: 'fidelity',
    primaryMetric: 'fidelity',
    async evaluate(v: PrunableView<SyntheticBatch>, run?: RunOptions) {
      if (!reference) {
        const dense = await view.run(batch, { engine: run?.engine });
        reference = tf.clone(dense.outputs.logitsPerImage as tf.Tensor);
        dense.dispose();
      }
      const result = await v.run(batch, { gates: run?.gates, engine: run?.engine });
      const error = tf.tidy(() => tf.mean(tf.squaredDifference(result.outputs.logitsPerImage as tf.Tensor, reference as tf.Tensor)));
      const value = (await error.data())[0] as number;
      tf.dispose([error]);
      result.dispose();
      return { fidelity: -value };
    },
    dispose: () => reference?.dispose(),
  };
}

/** Scales the rows/columns a head owns in `unit` roles (`axis` filtered) by `factor`. */
function scaleHead(view: SyntheticView, head: Structure, factor: number, axis: 'in' | 'out' | 'both'): void {
  const updates = new Map<string, Float32Array>();
  for (const slice of head.slices) {
    if (axis !== 'both' && slice.axis !== axis) continue;
    const unit = view.units.find((u) => u.name === slice.unit)!;
    const data = new Float32Array(view.weight(unit.name).dataSync());
    const [rows, cols] = unit.shape;
    for (const i of slice.indices) {
      if (slice.axis === 'out') for (let c = 0; c < cols; c++) data[i * cols + c]! *= factor;
      else for (let r = 0; r < rows; r++) data[r * cols + i]! *= factor;
    }
    updates.set(unit.name, data);
  }
  view.setWeights(updates);
}

describe('mope', () => {
  const views: SyntheticView[] = [];
  const fresh = () => {
    const view = createSyntheticView({ heads: 4, hidden: 16, seed: 3 });
    views.push(view);
    return view;
  };
  const batch = () => syntheticBatch(createRng(7), { batchSize: 6, dims: { hidden: 16, heads: 4 } });
  afterEach(() => views.splice(0).forEach((v) => v.dispose()));

  describe('moduleWisePruningErrors', () => {
    it('gives ~0 to a head whose output-projection columns are zero', async () => {
      const view = fresh();
      const head = view.structures.find((s) => s.id.includes('vision') && s.kind === 'head' && s.gate.index === 2)!;
      scaleHead(view, head, 0, 'in');
      const task = fidelityTask(view, batch());
      const { width } = mopeModules(view, ['vision', 'text'], mopeConfigDefaults.neuronGroups);
      const metric = countingMetric(taskMetric(view, task, { engine: 'tfjs' }), true);
      const errors = await moduleWisePruningErrors(metric, openGates(gateGroupSizes(view)), width);
      const index = width.findIndex((m) => m.id === head.id);
      expect(Math.abs(errors[index]!)).toBeLessThan(1e-9);
      const others = width.filter((m, i) => m.kind === 'head' && i !== index).map((m) => errors[width.indexOf(m)]!);
      expect(Math.min(...others)).toBeGreaterThan(1e-6);
      task.dispose();
    });

    it('gives identical values with and without the cache, with fewer evaluations cached', async () => {
      const view = fresh();
      const task = fidelityTask(view, batch());
      const { width } = mopeModules(view, ['vision'], mopeConfigDefaults.neuronGroups);
      const base = openGates(gateGroupSizes(view));
      const cached = countingMetric(taskMetric(view, task, { engine: 'tfjs' }), true);
      const uncached = countingMetric(taskMetric(view, task, { engine: 'tfjs' }), false);
      const a = await moduleWisePruningErrors(cached, base, width);
      const b = await moduleWisePruningErrors(uncached, base, width);
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(cached.stats.evaluations).toBe(width.length + 1);
      expect(uncached.stats.evaluations).toBe(2 * width.length);
      task.dispose();
    });
  });

  describe('prune', () => {
    const removedHeads = async (view: SyntheticView) => {
      const task = fidelityTask(view, batch());
      const report = await prune(mope({ engine: 'tfjs', depthShare: 0 }), view, { sparsity: 0.25, seed: 0, scope: { modalities: ['vision'] } }, { task });
      task.dispose();
      return report.structureMask!.removed.filter((id) => id.includes('head'));
    };

    it('prunes the irrelevant head first', async () => {
      const view = fresh();
      const head = view.structures.find((s) => s.modality === 'vision' && s.kind === 'head' && s.gate.index === 1)!;
      scaleHead(view, head, 0, 'in');
      const removed = await removedHeads(view);
      expect(removed).toContain(head.id);
    });

    it('keeps a critical head', async () => {
      const view = fresh();
      const head = view.structures.find((s) => s.modality === 'vision' && s.kind === 'head' && s.gate.index === 0)!;
      scaleHead(view, head, 20, 'in');
      const removed = await removedHeads(view);
      expect(removed.length).toBeGreaterThan(0);
      expect(removed).not.toContain(head.id);
    });

    it('reports evaluations and removes heads, neuron groups and layers on the accuracy task', async () => {
      const view = createSyntheticView({ blocks: 4 });
      views.push(view);
      const report = await prune(mope({ engine: 'tfjs', depthShare: 0.5 }), view, { sparsity: 0.5, seed: 0 }, { task: syntheticTask() });
      const removed = report.structureMask!.removed;
      expect(removed.some((id) => /layer/.test(id) || view.structures.find((s) => s.id === id)?.kind === 'layer')).toBe(true);
      expect(report.sparsity.total.sparsity).toBeGreaterThan(0.45);
      expect(report.sparsity.total.sparsity).toBeLessThan(0.55);
    });
  });
});
