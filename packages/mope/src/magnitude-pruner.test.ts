import { prune } from '@vlp/core';
import { type SyntheticView, createSyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { moduleL1, mopeMagnitude } from './magnitude-pruner.js';
import { mopeConfigDefaults } from './mope-config.js';
import { mopeModules } from './modules.js';

describePrunerConformance(mopeMagnitude(), {
  validConfigs: [{}, { depthShare: 0 }, { neuronGroups: { kind: 'size', size: 4 } }],
  invalidConfigs: [
    { config: { depthShare: 2 }, path: ['depthShare'] },
    { config: { cache: true }, path: [] },
  ],
});

describe('mopeMagnitude', () => {
  const views: SyntheticView[] = [];
  afterEach(() => views.splice(0).forEach((v) => v.dispose()));

  it('scores a module by the L1 norm of the rows/columns it owns', () => {
    const view = createSyntheticView({ heads: 4, hidden: 16, seed: 3 });
    views.push(view);
    const { width } = mopeModules(view, ['vision'], mopeConfigDefaults.neuronGroups);
    const head = width.find((m) => m.kind === 'head')!;
    let expected = 0;
    for (const slice of head.structures[0]!.slices) {
      const w = view.weight(slice.unit);
      const [rows, cols] = w.shape;
      const data = w.dataSync();
      for (const i of slice.indices) {
        if (slice.axis === 'out') for (let c = 0; c < cols; c++) expected += Math.abs(data[i * cols + c]!);
        else for (let r = 0; r < rows; r++) expected += Math.abs(data[r * cols + i]!);
      }
    }
    expect(moduleL1(view, [head])[0]).toBeCloseTo(expected, 4);
    expect(expected).toBeGreaterThan(0);
  });

  it('removes the head whose weights are smallest', async () => {
    const view = createSyntheticView({ heads: 4, hidden: 16, seed: 3 });
    views.push(view);
    const head = view.structures.find((s) => s.modality === 'vision' && s.kind === 'head' && s.gate.index === 2)!;
    const updates = new Map<string, Float32Array>();
    for (const slice of head.slices) {
      const w = view.weight(slice.unit);
      const data = Float32Array.from(updates.get(slice.unit) ?? w.dataSync());
      const [rows, cols] = w.shape;
      for (const i of slice.indices) {
        if (slice.axis === 'out') for (let c = 0; c < cols; c++) data[i * cols + c]! *= 0.01;
        else for (let r = 0; r < rows; r++) data[r * cols + i]! *= 0.01;
      }
      updates.set(slice.unit, data);
    }
    view.setWeights(updates);
    const report = await prune(mopeMagnitude({ depthShare: 0 }), view, { sparsity: 0.25, seed: 0, scope: { modalities: ['vision'] } }, { apply: false });
    expect(report.structureMask!.removed).toContain(head.id);
    expect(report.sparsity.total.sparsity).toBeGreaterThan(0.2);
    expect(report.sparsity.total.sparsity).toBeLessThan(0.3);
  });
});
