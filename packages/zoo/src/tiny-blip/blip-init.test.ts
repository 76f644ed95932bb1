import { describe, expect, it } from 'vitest';
import { createRandomBlip } from '@vlp/models';
import { applyScaledBlipInit } from './blip-init.js';
import { tinyBlipConfig } from './tiny-blip-config.js';

const std = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('applyScaledBlipInit', () => {
  it("rescales attention, MLP and head weights to CLIP's width- and depth-scaled standard deviations", async () => {
    const plain = createRandomBlip('BlipForQuestionAnswering', tinyBlipConfig('tiny-blip-vqa'), 0);
    const scaled = createRandomBlip('BlipForQuestionAnswering', tinyBlipConfig('tiny-blip-vqa'), 0);
    applyScaledBlipInit(scaled);
    const d = 64;
    const depth = 8 ** -0.5;
    const expected: Record<string, number> = {
      'vision_model.encoder.layers.0.self_attn.qkv.weight': d ** -0.5 * depth,
      'vision_model.encoder.layers.3.self_attn.projection.weight': d ** -0.5,
      'vision_model.encoder.layers.1.mlp.fc1.weight': (2 * d) ** -0.5,
      'vision_model.encoder.layers.1.mlp.fc2.weight': d ** -0.5 * depth,
      'text_encoder.encoder.layer.2.crossattention.self.value.weight': d ** -0.5 * depth,
      'text_decoder.bert.encoder.layer.0.attention.output.dense.weight': d ** -0.5,
      'text_decoder.bert.encoder.layer.0.intermediate.dense.weight': (2 * d) ** -0.5,
      'text_encoder.encoder.layer.3.output.dense.weight': d ** -0.5 * depth,
      'vision_model.embeddings.class_embedding': d ** -0.5,
    };
    for (const [name, s] of Object.entries(expected)) expect(std(scaled.params.get(name).data), name).toBeCloseTo(s, 1);
    // embeddings, LayerNorms, biases, the LM head keep the initializer_range draw or their constants
    for (const name of ['text_encoder.embeddings.word_embeddings.weight', 'vision_model.embeddings.patch_embedding.weight', 'text_encoder.encoder.layer.0.output.LayerNorm.weight', 'text_decoder.cls.predictions.decoder.weight', 'text_encoder.encoder.layer.0.output.dense.bias']) {
      expect(scaled.params.get(name).data, name).toEqual(plain.params.get(name).data);
    }
    await Promise.all([plain.dispose(), scaled.dispose()]);
  });
});
