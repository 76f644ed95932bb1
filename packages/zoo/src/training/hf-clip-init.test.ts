import { describe, expect, it } from 'vitest';
import { createRandomClip } from '@vlp/models';
import { tinyClipConfig } from '../tiny-clip/tiny-clip-config.js';
import { applyHfClipInit } from './hf-clip-init.js';

function std(data: Float32Array): number {
  const mean = data.reduce((s, x) => s + x, 0) / data.length;
  return Math.sqrt(data.reduce((s, x) => s + (x - mean) ** 2, 0) / data.length);
}

describe('applyHfClipInit', () => {
  it("rescales createRandomClip's weights to transformers' CLIP init", async () => {
    const model = createRandomClip(tinyClipConfig({ hiddenSize: 128, patchSize: 16 }), 0);
    const before = model.params.get('text_model.embeddings.token_embedding.weight').data.slice();
    applyHfClipInit(model);
    const s = (name: string) => std(model.params.get(name).data);
    // hidden 128, 4 layers: q/k/v and fc2 128^-0.5 · 8^-0.5, out_proj 128^-0.5, fc1 256^-0.5
    expect(s('vision_model.encoder.layers.0.self_attn.q_proj.weight')).toBeCloseTo(128 ** -0.5 / Math.sqrt(8), 2);
    expect(s('text_model.encoder.layers.3.self_attn.out_proj.weight')).toBeCloseTo(128 ** -0.5, 2);
    expect(s('text_model.encoder.layers.1.mlp.fc1.weight')).toBeCloseTo(256 ** -0.5, 2);
    expect(s('vision_model.encoder.layers.2.mlp.fc2.weight')).toBeCloseTo(128 ** -0.5 / Math.sqrt(8), 2);
    expect(s('visual_projection.weight')).toBeCloseTo(128 ** -0.5, 2);
    // embeddings keep initializer_range 0.02; LayerNorms and biases keep their constants
    expect(model.params.get('text_model.embeddings.token_embedding.weight').data).toEqual(before);
    expect(new Set(model.params.get('vision_model.post_layernorm.weight').data)).toEqual(new Set([1]));
    await model.dispose();
  });
});
