import * as tf from '@tensorflow/tfjs';
import { VlpError, createRng, structureMaskToUnitMasks, type TapSpec } from '@vlp/core';
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticBatch } from './batch.js';
import { unitName } from './layout.js';
import { type SyntheticView, createSyntheticView } from './view.js';

const views: SyntheticView[] = [];
const makeView = (options?: Parameters<typeof createSyntheticView>[0]) => {
  const view = createSyntheticView(options);
  views.push(view);
  return view;
};
afterEach(() => views.splice(0).forEach((v) => v.dispose()));

const batch = syntheticBatch(createRng(3), { batchSize: 3 });
const Q0 = unitName('vision', 0, 'attn.q');
const TEXT_FC1 = unitName('text', 1, 'mlp.fc1');
const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

/** Parameter-free LayerNorm of [tokens, D] rows, in float64. */
function layerNormRows(x: Float32Array, d: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / d; r++) {
    const row = x.subarray(r * d, (r + 1) * d);
    const mean = row.reduce((s, v) => s + v, 0) / d;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / d;
    row.forEach((v, j) => (out[r * d + j] = (v - mean) / Math.sqrt(variance + 1e-5)));
  }
  return out;
}

describe('createSyntheticView', () => {
  it('lists 24 HF-named units and their heads, neurons and layers', () => {
    const view = makeView();
    expect(view.units).toHaveLength(24);
    expect(view.units[0]).toEqual({ name: 'vision_model.encoder.layers.0.self_attn.q_proj.weight', modality: 'vision', blockId: 'vision.0', block: 0, role: 'attn.q', shape: [8, 8] });
    expect(view.units.find((u) => u.role === 'mlp.fc2')!.shape).toEqual([8, 16]);
    const kinds = view.structures.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'head')).toHaveLength(8);
    expect(kinds.filter((k) => k === 'neuron')).toHaveLength(64);
    expect(kinds.filter((k) => k === 'layer')).toHaveLength(4);
    const head = view.structures.find((s) => s.id === 'vision.0.attn.head.1')!;
    expect(head.slices.map((s) => [s.axis, s.indices])).toEqual([['out', [4, 5, 6, 7]], ['out', [4, 5, 6, 7]], ['out', [4, 5, 6, 7]], ['in', [4, 5, 6, 7]]]);
    expect(head.gate).toEqual({ group: 'vision.0.attn.heads', index: 1 });
  });

  it('draws the same weights from the same seed and different ones from another', () => {
    const [a, b, c] = [makeView({ seed: 1 }), makeView({ seed: 1 }), makeView({ seed: 2 })];
    expect(a.weight(Q0).dataSync()).toEqual(b.weight(Q0).dataSync());
    expect(maxAbsDiff(a.weight(Q0), c.weight(Q0))).toBeGreaterThan(0.01);
  });

  it('computes a forward whose taps match a hand computation', async () => {
    const view = makeView();
    const taps: TapSpec[] = [
      { kind: 'input-sum-squares', unit: Q0, tokens: 'all' },
      { kind: 'input-gram', unit: Q0, tokens: 'all' },
      { kind: 'input-mean-abs', unit: Q0, tokens: 'valid' },
      { kind: 'unit-output', unit: Q0 },
      { kind: 'block-output-pooled', blockId: 'text.1' },
    ];
    const result = await view.run(batch, { taps });
    const ln = layerNormRows(batch.vision, 8);
    const sumSq = new Float64Array(8);
    const meanAbs = new Float64Array(8);
    ln.forEach((v, i) => {
      sumSq[i % 8] += v * v;
      meanAbs[i % 8] += Math.abs(v) / 15;
    });
    const [ss, gram, ma, out, pooled] = result.taps;
    Array.from(ss.value.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(sumSq[j], 3));
    Array.from(ma.value.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(meanAbs[j], 4));
    const gramDiag = tf.tidy(() => tf.sum(tf.mul(gram.value, tf.eye(8)), 1));
    expect(maxAbsDiff(gramDiag, ss.value)).toBeLessThan(1e-3);
    gramDiag.dispose();
    expect([ss.tokens, ss.sequences, out.value.shape, pooled.value.shape]).toEqual([15, 3, [3, 5, 8], [3, 8]]);
    // unit-output = LN(x) Wᵀ + b for token 0, feature 0.
    const w = view.weight(Q0).dataSync();
    const noBias = Array.from({ length: 8 }, (_, j) => ln[j] * w[j]).reduce((s, v) => s + v, 0);
    expect(Math.abs(out.value.dataSync()[0] - noBias)).toBeLessThan(0.1);
    expect(Object.keys(result.outputs).sort()).toEqual(['imageEmbeds', 'logitsPerImage', 'logitsPerText', 'textEmbeds', 'textLastHiddenState', 'visionLastHiddenState']);
    result.dispose();
  });

  it('excludes padding tokens: valid taps count only real tokens, and padding values do not change the text embeddings', async () => {
    const view = makeView();
    const unit = unitName('text', 0, 'attn.q');
    const taps: TapSpec[] = [{ kind: 'input-sum-squares', unit, tokens: 'valid' }, { kind: 'input-sum-squares', unit, tokens: 'all' }];
    const a = await view.run(batch, { taps });
    const realTokens = batch.attentionMask.reduce((s, v) => s + v, 0);
    expect(realTokens).toBeLessThan(18);
    expect([a.taps[0].tokens, a.taps[1].tokens]).toEqual([realTokens, 18]);
    const text = batch.text.map((v, i) => (batch.attentionMask[Math.floor(i / 8)] === 0 ? v + (i % 8) : v));
    const b = await view.run({ ...batch, text }, { taps });
    expect(maxAbsDiff(a.outputs.textEmbeds, b.outputs.textEmbeds)).toBeLessThan(1e-5);
    expect(maxAbsDiff(a.taps[0].value, b.taps[0].value)).toBeLessThan(1e-4);
    expect(maxAbsDiff(a.taps[1].value, b.taps[1].value)).toBeGreaterThan(0.1);
    a.dispose();
    b.dispose();
  });

  it('gives a zero gate the same outputs as removing the gated structure from the weights', async () => {
    const gated = makeView();
    const masked = makeView();
    const gates = { 'vision.1.attn.heads': tf.tensor1d([1, 0]), 'text.0.mlp.neurons': tf.tensor1d(Array.from({ length: 16 }, (_, j) => (j === 3 ? 0 : 1))) };
    masked.applyMasks(structureMaskToUnitMasks(masked, { removed: ['vision.1.attn.head.1', 'text.0.mlp.neuron.3'] }));
    const a = await gated.run(batch, { gates });
    const b = await masked.run(batch);
    const plain = await gated.run(batch);
    expect(maxAbsDiff(a.outputs.logitsPerImage, b.outputs.logitsPerImage)).toBeLessThan(1e-4);
    expect(maxAbsDiff(a.outputs.logitsPerImage, plain.outputs.logitsPerImage)).toBeGreaterThan(1e-3);
    [a, b, plain].forEach((r) => r.dispose());
    tf.dispose(Object.values(gates));
  });

  it('uses per-run weight overrides without touching the model', async () => {
    const view = makeView();
    const before = view.weight(TEXT_FC1).dataSync().slice();
    const zero = tf.zerosLike(view.weight(TEXT_FC1)) as tf.Tensor2D;
    const overridden = await view.run(batch, { weights: { [TEXT_FC1]: zero } });
    expect(view.weight(TEXT_FC1).dataSync()).toEqual(before);
    view.setWeights(new Map([[TEXT_FC1, new Float32Array(16 * 8)]]));
    const set = await view.run(batch);
    expect(maxAbsDiff(overridden.outputs.textEmbeds, set.outputs.textEmbeds)).toBeLessThan(1e-6);
    [overridden, set, zero].forEach((r) => r.dispose());
  });

  it('zeroes masked weights and keeps the tensor count', () => {
    const view = makeView();
    const count = tf.memory().numTensors;
    const mask = new Uint8Array(64).fill(1);
    mask[0] = 0;
    mask[9] = 0;
    const before = view.weight(Q0).dataSync().slice();
    view.applyMasks(new Map([[Q0, mask]]));
    const after = view.weight(Q0).dataSync();
    expect([after[0], after[9], after[1]]).toEqual([0, 0, before[1]]);
    expect(tf.memory().numTensors).toBe(count);
  });

  it('frees every tensor of a run and of the view', async () => {
    const start = tf.memory().numTensors;
    const view = createSyntheticView();
    const result = await view.run(batch, { taps: [{ kind: 'input-gram', unit: Q0, tokens: 'valid' }] });
    result.dispose();
    view.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('rejects unknown units, gates and taps, and batches of the wrong size', async () => {
    const view = makeView();
    const code = async (fn: () => unknown) => {
      try {
        await fn();
      } catch (e) {
        return VlpError.isInstance(e) ? e.code : String(e);
      }
      return 'no error';
    };
    expect(await code(() => view.weight('nope'))).toBe('VLP_INVALID_ARGUMENT');
    expect(await code(() => view.run({ ...batch, size: 2 }))).toBe('VLP_SHAPE_MISMATCH');
    expect(await code(() => view.run(batch, { gates: { nope: tf.ones([2]) as tf.Tensor1D } }))).toBe('VLP_INVALID_ARGUMENT');
    expect(await code(() => view.run(batch, { taps: [{ kind: 'block-output-pooled', blockId: 'vision.7' }] }))).toBe('VLP_INVALID_ARGUMENT');
    expect(await code(() => view.run(batch, { engine: 'onnx' }))).toBe('VLP_NOT_SUPPORTED');
    expect(await code(() => view.run(batch, { signal: AbortSignal.abort() }))).toBe('VLP_ABORTED');
  });
});
