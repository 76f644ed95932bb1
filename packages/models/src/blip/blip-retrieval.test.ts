import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, readSafetensors } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference, relativeError } from '../testing/fixtures.js';
import { BlipForImageTextRetrieval } from './blip-retrieval-model.js';

const dir = path.join(HF_FIXTURES, 'blip-itm-tiny');
const TOL = 2e-5;

describe('BlipForImageTextRetrieval on blip-itm-tiny', () => {
  let model: BlipForImageTextRetrieval;
  let inputs: Map<string, tf.Tensor>;
  let refs: Map<string, tf.Tensor>;
  const input = (name: string) => inputs.get(name) as tf.Tensor;

  beforeAll(async () => {
    await initBackend();
    const loaded = await loadModel(dir);
    if (!(loaded instanceof BlipForImageTextRetrieval)) throw new Error('expected BlipForImageTextRetrieval');
    model = loaded;
    inputs = await readReference(path.join(dir, 'reference/inputs.safetensors'));
    refs = await readReference(path.join(dir, 'reference/outputs.safetensors'));
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values(), ...refs.values()]);
  });

  for (const engine of ['onnx', 'tfjs'] as const) {
    it(`matches every reference tensor on the ${engine} engine (ITM, ITC, vision hidden states)`, async () => {
      const itm = await model.forward({
        pixelValues: input('pixel_values'),
        inputIds: input('input_ids'),
        attentionMask: input('attention_mask'),
        useItmHead: true,
        outputHiddenStates: true,
        engine,
      });
      const twoImages = input('pixel_values').slice([0, 0, 0, 0], [2, -1, -1, -1]);
      const itc = await model.forward({
        pixelValues: twoImages,
        inputIds: input('input_ids'),
        attentionMask: input('attention_mask'),
        useItmHead: false,
        engine,
      });
      const got: Record<string, tf.Tensor> = {
        itm_logits: itm.itmScore,
        itm_probs: tf.tidy(() => tf.softmax(itm.itmScore).slice([0, 1], [-1, 1]).reshape([-1])),
        itc_scores: itc.itmScore,
        itc_image_feat: itc.imageFeat as tf.Tensor,
        itc_text_feat: itc.textFeat as tf.Tensor,
        image_embeds: itm.imageEmbeds,
        itm_question_embeds: itm.questionEmbeds,
        itc_question_embeds: itc.questionEmbeds,
        'vision_model.last_hidden_state': itm.visionModelOutput.lastHiddenState,
        'vision_model.pooler_output': itm.visionModelOutput.poolerOutput,
      };
      itm.visionModelOutput.hiddenStates?.forEach((t, i) => (got[`vision_model.hidden_states.${i}`] = t));
      expect(Object.keys(got).sort()).toEqual([...refs.keys()].sort());
      for (const [name, ref] of refs) expect(relativeError(got[name] as tf.Tensor, ref), `${engine}: ${name}`).toBeLessThanOrEqual(TOL);
      expect(itm.textEncoderHiddenStates?.length).toBe(3);
      const lastEncoderState = itm.textEncoderHiddenStates?.[2] as tf.Tensor;
      expect(relativeError(lastEncoderState, itm.questionEmbeds)).toBe(0);
      tf.dispose([twoImages, ...Object.values(got), ...(itm.textEncoderHiddenStates ?? []), itc.imageEmbeds, itc.visionModelOutput.lastHiddenState, itc.visionModelOutput.poolerOutput]);
    });
  }

  it('leaves no tensors behind (tfjs parameter cache warm)', async () => {
    const before = tf.memory().numTensors;
    for (const useItmHead of [true, false]) {
      const out = await model.forward({ pixelValues: input('pixel_values'), inputIds: input('input_ids'), useItmHead, engine: 'tfjs' });
      tf.dispose([out.itmScore, out.imageEmbeds, out.questionEmbeds, out.imageFeat, out.textFeat, out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput].filter((t): t is tf.Tensor => t !== undefined));
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads the attention key biases exactly (they cannot be observed through outputs)', async () => {
    const st = await readSafetensors(path.join(dir, 'model.safetensors'));
    for (const name of ['text_encoder.encoder.layer.1.attention.self.key.bias', 'text_encoder.encoder.layer.0.crossattention.self.key.bias']) {
      expect(Array.from(model.params.get(name).data), name).toEqual(Array.from(await st.readFloat32(name)));
    }
    // The vision key bias is rows D..2D−1 of the fused qkv bias.
    const qkv = 'vision_model.encoder.layers.0.self_attn.qkv.bias';
    expect(Array.from(model.params.get(qkv).data)).toEqual(Array.from(await st.readFloat32(qkv)));
    await st.close();
  });

  it('rejects ITM pairs of different batch sizes and wrongly shaped pixels', async () => {
    const ids = input('input_ids');
    const two = input('pixel_values').slice([0, 0, 0, 0], [2, -1, -1, -1]);
    await expect(model.forward({ pixelValues: two, inputIds: ids })).rejects.toThrow(/inputIds must be \[2, tokens\]/);
    await expect(model.forward({ pixelValues: ids, inputIds: ids })).rejects.toThrow(/pixelValues must be \[batch, 3, 32, 32\]/);
    two.dispose();
  });
});
