import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference, relativeError } from '../testing/fixtures.js';
import { describeBlipVqa } from './blip-vqa-describe.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';

const dir = path.join(HF_FIXTURES, 'blip-vqa-tiny');

/** Every gate group of a 2+2+2-layer VQA model (vision, text encoder with cross, decoder with cross). */
function gateGroups(): Record<string, number> {
  const groups: Record<string, number> = {};
  for (let i = 0; i < 2; i++) {
    for (const root of ['vision', 'text', 'decoder']) {
      groups[`${root}.${i}.attn.channels`] = 16;
      groups[`${root}.${i}.attn.heads`] = 4;
      groups[`${root}.${i}.mlp`] = 128;
      groups[`${root}.${i}.layer`] = 1;
      if (root !== 'vision') {
        groups[`${root}.${i}.cross.channels`] = 16;
        groups[`${root}.${i}.cross.heads`] = 4;
      }
    }
  }
  return groups;
}

describe('BLIP gate groups and taps (prunable-view naming)', () => {
  let model: BlipForQuestionAnswering;
  let inputs: Map<string, tf.Tensor>;
  const feeds = () => ({
    pixel_values: inputs.get('pixel_values') as tf.Tensor,
    input_ids: inputs.get('input_ids') as tf.Tensor,
    attention_mask: inputs.get('attention_mask') as tf.Tensor,
    decoder_input_ids: inputs.get('decoder_input_ids') as tf.Tensor,
    decoder_attention_mask: inputs.get('decoder_attention_mask') as tf.Tensor,
  });
  const run = (engine: 'onnx' | 'tfjs', gates: Record<string, tf.Tensor>) =>
    model.runner.run({
      key: 'blip:vqa:test:12:5',
      describe: (ctx) => describeBlipVqa(ctx, model.config, model.arch, 12, 5, null),
      options: { gates: new Set(Object.keys(gates)) },
      feeds: feeds(),
      gates,
      engine,
    });

  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(dir)) as BlipForQuestionAnswering;
    inputs = await readReference(path.join(dir, 'reference/inputs.safetensors'));
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values()]);
  });

  for (const engine of ['onnx', 'tfjs'] as const) {
    it(`all-ones gates on every group leave the ${engine} outputs unchanged; a zero cross-attention head changes them`, async () => {
      const ones = Object.fromEntries(Object.entries(gateGroups()).map(([g, n]) => [g, tf.ones([n])]));
      const plain = await run(engine, {});
      const gated = await run(engine, ones);
      expect(relativeError(gated.outputs.answer_logits as tf.Tensor, plain.outputs.answer_logits as tf.Tensor)).toBeLessThan(1e-6);
      const headOff = { 'decoder.1.cross.heads': tf.tensor1d([1, 0, 1, 1]) };
      const pruned = await run(engine, headOff);
      expect(relativeError(pruned.outputs.answer_logits as tf.Tensor, plain.outputs.answer_logits as tf.Tensor)).toBeGreaterThan(1e-3);
      // The question encoder does not see the decoder's gate.
      expect(relativeError(pruned.outputs.question_embeds as tf.Tensor, plain.outputs.question_embeds as tf.Tensor)).toBe(0);
      for (const r of [plain, gated, pruned]) tf.dispose(Object.values(r.outputs));
      tf.dispose([...Object.values(ones), ...Object.values(headOff)]);
    });
  }

  it('taps see text rows weighted by the attention mask and image rows unweighted', async () => {
    const taps = [
      { kind: 'input-sum-squares', unit: 'text_encoder.encoder.layer.0.attention.self.query.weight', tokens: 'valid' },
      { kind: 'input-sum-squares', unit: 'text_encoder.encoder.layer.0.crossattention.self.key.weight', tokens: 'valid' },
    ] as const;
    const { outputs } = await model.runner.run({
      key: 'blip:vqa:taps:12:5',
      describe: (ctx) => describeBlipVqa(ctx, model.config, model.arch, 12, 5, null),
      options: { taps, hiddenStates: true },
      feeds: feeds(),
      engine: 'onnx',
    });
    const expected = tf.tidy(() => {
      const mask = (inputs.get('attention_mask') as tf.Tensor).toFloat().reshape([2, 12, 1]);
      const text = (outputs['text_encoder.hidden_states.0'] as tf.Tensor).square().mul(mask).sum([0, 1]);
      const image = (outputs['vision_model.last_hidden_state'] as tf.Tensor).square().sum([0, 1]);
      return [text, image] as const;
    });
    expect(relativeError(outputs['tap:0'] as tf.Tensor, expected[0])).toBeLessThan(1e-5);
    expect(relativeError(outputs['tap:1'] as tf.Tensor, expected[1])).toBeLessThan(1e-5);
    tf.dispose([...Object.values(outputs), ...expected]);
  });
});
