import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import { blipVqaLmLoss } from './blip-lm-loss.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';

/** `encToken` on the VQA loss, question encoding and generation: the same as feeding ids whose first token is `[ENC]`. */
describe('BLIP VQA with [ENC] as the first question token (official BLIP) on blip-vqa-tiny', () => {
  let model: BlipForQuestionAnswering;
  let inputs: Map<string, tf.Tensor>;
  let enc: number;
  let swapped: tf.Tensor;
  const input = (name: string) => inputs.get(name) as tf.Tensor;

  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(path.join(HF_FIXTURES, 'blip-vqa-tiny'))) as BlipForQuestionAnswering;
    inputs = await readReference(path.join(HF_FIXTURES, 'blip-vqa-tiny/reference/inputs.safetensors'));
    enc = model.tokenizer?.tokenToId('[ENC]') as number;
    const ids = input('input_ids').arraySync() as number[][];
    swapped = tf.tensor2d(ids.map((row) => [enc, ...row.slice(1)]), undefined, 'int32');
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values(), swapped]);
  });

  it('the fixture questions start with [CLS], not [ENC]', () => {
    expect(typeof enc).toBe('number');
    expect((input('input_ids').arraySync() as number[][]).every((row) => row[0] !== enc)).toBe(true);
  });

  it('blipVqaLmLoss({ encToken }) equals the loss on [ENC]-first ids and differs from the [CLS] loss', () => {
    const batch = { pixelValues: input('pixel_values'), attentionMask: input('attention_mask'), decoderInputIds: input('decoder_input_ids') };
    const [withOption, onSwapped, plain] = [
      blipVqaLmLoss(model, { ...batch, inputIds: input('input_ids') }, { encToken: true }),
      blipVqaLmLoss(model, { ...batch, inputIds: swapped }),
      blipVqaLmLoss(model, { ...batch, inputIds: input('input_ids') }),
    ].map((t) => {
      const v = t.arraySync() as number;
      t.dispose();
      return v;
    }) as [number, number, number];
    expect(withOption).toBeCloseTo(onSwapped, 6);
    expect(Math.abs(withOption - plain)).toBeGreaterThan(1e-4);
  });

  it('encodeQuestion and generate with encToken equal the calls on [ENC]-first ids (token id accepted too)', async () => {
    const pixels = input('pixel_values');
    const mask = input('attention_mask');
    const a = await model.encodeQuestion(input('input_ids'), pixels, { attentionMask: mask, encToken: true, engine: 'onnx' });
    const b = await model.encodeQuestion(swapped, pixels, { attentionMask: mask, engine: 'onnx' });
    const c = await model.encodeQuestion(input('input_ids'), pixels, { attentionMask: mask, engine: 'onnx' });
    expect(tf.max(tf.abs(tf.sub(a, b))).arraySync()).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(a, c))).arraySync()).toBeGreaterThan(1e-4);
    tf.dispose([a, b, c]);
    const g1 = await model.generate(input('input_ids'), pixels, { attentionMask: mask, encToken: enc, maxNewTokens: 5, engine: 'onnx' });
    const g2 = await model.generate(swapped, pixels, { attentionMask: mask, maxNewTokens: 5, engine: 'onnx' });
    expect((g1.sequences as tf.Tensor).arraySync()).toEqual((g2.sequences as tf.Tensor).arraySync());
    tf.dispose([...Object.values(g1), ...Object.values(g2)].filter((v): v is tf.Tensor => v instanceof tf.Tensor));
  });

  it('blipVqaLmLoss({ encToken }) is differentiable: the gradient reaches the [ENC] embedding row, not [CLS]', () => {
    const name = 'text_encoder.embeddings.word_embeddings.weight';
    const p = model.params.get(name);
    const w = tf.tensor(p.data, [...p.shape]);
    const batch = { pixelValues: input('pixel_values'), inputIds: input('input_ids'), attentionMask: input('attention_mask'), decoderInputIds: input('decoder_input_ids') };
    const g = tf.grad((x: tf.Tensor) => blipVqaLmLoss(model, batch, { encToken: true, weights: { [name]: x } }))(w);
    const rows = g.arraySync() as number[][];
    const cls = (input('input_ids').arraySync() as number[][])[0]?.[0] as number;
    expect(rows[enc]?.some((v) => v !== 0)).toBe(true);
    expect(rows[cls]?.every((v) => v === 0)).toBe(true);
    tf.dispose([w, g]);
  });

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const q = await model.encodeQuestion(input('input_ids'), input('pixel_values'), { attentionMask: input('attention_mask'), encToken: true, engine: 'onnx' });
    q.dispose();
    const loss = blipVqaLmLoss(model, { pixelValues: input('pixel_values'), inputIds: input('input_ids'), attentionMask: input('attention_mask'), decoderInputIds: input('decoder_input_ids') }, { encToken: true });
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
