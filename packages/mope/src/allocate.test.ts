import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Structure, initBackend, prune } from '@vlp/core';
import { type BlipModel, blipView, loadModel } from '@vlp/models';
import { describe, expect, it } from 'vitest';
import { encoderOf, fitRemoval, planRemoval, selectLayers } from './allocate.js';
import type { MopeModule } from './modules.js';
import { mopeModules } from './modules.js';
import { mope } from './mope-pruner.js';
import { mopeConfigDefaults } from './mope-config.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/hf');

/** A task whose metric is constant: every MoPE is 0, ties everywhere (lowest index first). */
const flatTask = { id: 'flat', primaryMetric: 'z', evaluate: async () => ({ z: 1 }) };

const mod = (kind: MopeModule['kind'], blockId: string, family: string, index: number, weights: number): MopeModule => ({
  id: `${family}.${index}`,
  kind,
  modality: 'vision',
  blockId,
  family,
  group: family,
  indices: [index],
  structures: [] as Structure[],
  weights,
});

describe('MoPE budget', () => {
  it('on blip-vqa-tiny at 0.5 removes 0.5 of the weights (text layers carry their cross-attention)', async () => {
    await initBackend();
    const model = (await loadModel(path.join(fixtures, 'blip-vqa-tiny'))) as BlipModel;
    try {
      const view = blipView(model);
      const report = await prune(mope(), view, { sparsity: 0.5, seed: 0 }, { task: flatTask, apply: false, tolerance: 1 });
      const { width } = mopeModules(view, ['vision', 'text', 'fusion'], mopeConfigDefaults.neuronGroups);
      const total = report.sparsity.total.numel;
      const granularity = Math.max(...width.map((m) => m.weights)) / total;
      // before the fix: 0.5625 (two text layers removed whole, their cross-attention counted as fusion width)
      expect(Math.abs(report.sparsity.total.sparsity - 0.5)).toBeLessThanOrEqual(granularity / 2);
      expect(report.sparsity.total.sparsity).toBeCloseTo(0.5, 6);
    } finally {
      await model.dispose();
    }
  });

  it('puts cross-attention heads in the encoder of the layer that holds them', () => {
    const layer = { ...mod('layer', 'text.0', 'text', 0, 10), modality: 'text' as const };
    const cross = { ...mod('head', 'text.0', 'text.0.cross.heads', 0, 1), modality: 'fusion' as const };
    const orphan = { ...mod('head', 'x.0', 'x.0.cross.heads', 0, 1), modality: 'fusion' as const };
    const encoder = encoderOf([layer]);
    expect([encoder(layer), encoder(cross), encoder(orphan)]).toEqual(['text', 'text', 'fusion']);
  });

  it('with layers of unequal size lands within half a width module of the target', () => {
    // one encoder: a large layer (2 heads of 30 + 4 groups of 10 = 100) and a small one (2 × 10 + 4 × 5 = 40)
    const blocks = [
      { id: 'b0', head: 30, group: 10 },
      { id: 'b1', head: 10, group: 5 },
    ];
    const width = blocks.flatMap((b) => [
      mod('head', b.id, `${b.id}.heads`, 0, b.head),
      mod('head', b.id, `${b.id}.heads`, 1, b.head),
      ...[0, 1, 2, 3].map((g) => mod('neuron-group', b.id, `${b.id}.mlp`, g, b.group)),
    ]);
    const layers = [mod('layer', 'b0', 'vision', 0, 100), mod('layer', 'b1', 'vision', 0, 40)];
    const total = 140;
    for (const sparsity of [0.3, 0.5, 0.6]) {
      const plan = planRemoval(width, layers, sparsity, 1);
      // MoPE ranks the LARGE layer lowest: removing it alone would overshoot 0.3 and 0.5 of 140
      const chosen = selectLayers(width, layers, [0, 1], plan.layerCounts, sparsity);
      const errors = width.map((_, i) => i);
      const widthRemoved = fitRemoval(width, errors, [], layers, chosen, sparsity);
      const removed = chosen.reduce((s, l) => s + l.weights, 0) + widthRemoved.reduce((s, m) => s + m.weights, 0);
      const halfModule = Math.max(...width.filter((m) => !chosen.some((l) => l.blockId === m.blockId)).map((m) => m.weights)) / 2;
      expect(Math.abs(removed - sparsity * total), `sparsity ${sparsity}`).toBeLessThanOrEqual(halfModule);
      expect(chosen.reduce((s, l) => s + l.weights, 0)).toBeLessThanOrEqual(sparsity * total);
    }
  });

  it('restores the highest-MoPE width modules first when over budget', () => {
    const width = [0, 1, 2, 3].map((g) => mod('neuron-group', 'b0', 'b0.mlp', g, 10));
    const layers = [mod('layer', 'b0', 'vision', 0, 40)];
    // three groups removed (30 of 40) for a 0.5 target: restore the one with the largest MoPE (group 1)
    const kept = fitRemoval(width, [0.1, 0.9, 0.2, 0.5], width.slice(0, 3), layers, [], 0.5);
    expect(kept.map((m) => m.id)).toEqual(['b0.mlp.0', 'b0.mlp.2']);
  });
});
