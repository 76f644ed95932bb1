import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { type ClipModel, clipView, compactClip, loadModel } from '@vlp/models';
import { fixture } from '../__tests__/helpers.js';
import { clipFlops, effectiveFlops, towerFlops } from './flops.js';

describe('FLOPs', () => {
  let model: ClipModel;
  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(fixture('clip-tiny'))) as ClipModel;
  });
  afterAll(() => model.dispose());

  it('counts one layer by hand: q, k, v, out, scores, context, fc1, fc2', () => {
    const tower = { hidden: 4, act: 'gelu' as const, eps: 1e-5, layerIndices: [0], layers: [{ attention: { heads: 2, headDim: 2, scale: 1 }, mlp: 8 }] };
    // tokens 3: 2·3·4·4·3 + 2·3·4·4 + 2·2·3·3·4 + 2·2·3·4·8
    expect(towerFlops(tower, 3)).toBe(288 + 96 + 144 + 384);
  });

  it('counts clip-tiny per image–text pair and less after compaction', () => {
    // vision 17 tokens, hidden 64, 3 layers, mlp 128; text 16 tokens, hidden 48, 2 layers, mlp 96; projection 32
    const layer = (t: number, d: number, m: number) => 2 * t * d * d * 4 + 4 * t * t * d + 4 * t * d * m;
    const expected = 2 * 16 * 3 * 64 * 64 + 3 * layer(17, 64, 128) + 2 * layer(16, 48, 96) + 2 * 32 * (64 + 48);
    expect(clipFlops(model)).toBe(expected);
    const view = clipView(model);
    const neurons = view.structures.filter((s) => s.kind === 'neuron' && s.blockId === 'vision.0').slice(0, 64).map((s) => s.id);
    const compact = compactClip(model, { removed: neurons });
    expect(clipFlops(model) - clipFlops(compact)).toBe(4 * 17 * 64 * 64);
    void compact.dispose();
  });

  it('effective FLOPs subtract 2 · tokens · pruned weights', () => {
    expect(effectiveFlops(1000, [{ tokens: 10, pruned: 5 }, { tokens: 2, pruned: 1 }])).toBe(1000 - 100 - 4);
  });
});
