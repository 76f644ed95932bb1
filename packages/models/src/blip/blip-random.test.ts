import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, InvalidArgumentError } from '@vlp/core';
import { relativeError } from '../testing/fixtures.js';
import { BlipForConditionalGeneration } from './blip-caption-model.js';
import { expectedBlipParams } from './blip-params.js';
import { BLIP_RANDOM_STD, createRandomBlip } from './blip-random.js';
import { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';

/** A small BLIP (vision 32 px / patch 16, widths 32, 2 + 2 layers, vocab 40). */
const TINY = {
  vision_config: { hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 4, image_size: 32, patch_size: 16 },
  text_config: { vocab_size: 40, hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 4, max_position_embeddings: 16, bos_token_id: 38, sep_token_id: 3 },
  image_text_hidden_size: 16,
};

/** BLIP-base as in Salesforce/blip-itm-base-coco: the class defaults, except 12 text heads. */
const BASE = { text_config: { num_attention_heads: 12 } };

/** Mean and standard deviation of `data`. */
function moments(data: Float32Array): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  for (const v of data) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / data.length;
  return { mean, std: Math.sqrt(sq / data.length - mean * mean) };
}

/** Largest |mean| and |std − 1| over the rows of `[…, D]` (LayerNorm outputs with gain 1, bias 0). */
function rowNormDeviation(t: tf.Tensor): number {
  const d = t.shape[t.rank - 1] as number;
  const data = t.dataSync() as Float32Array;
  let worst = 0;
  for (let r = 0; r < data.length / d; r++) {
    const { mean, std } = moments(data.subarray(r * d, (r + 1) * d));
    worst = Math.max(worst, Math.abs(mean), Math.abs(std - 1));
  }
  return worst;
}

describe('createRandomBlip', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('builds each head class with exactly the parameters of its config', () => {
    const classes = [
      ['BlipForImageTextRetrieval', BlipForImageTextRetrieval],
      ['BlipForConditionalGeneration', BlipForConditionalGeneration],
      ['BlipForQuestionAnswering', BlipForQuestionAnswering],
    ] as const;
    for (const [architecture, cls] of classes) {
      const model = createRandomBlip(architecture, TINY);
      expect(model).toBeInstanceOf(cls);
      expect(model.config.architecture).toBe(architecture);
      expect(model.params.names().sort()).toEqual([...expectedBlipParams(model.config, model.arch).keys()].sort());
    }
    expect(createRandomBlip('BlipForImageTextRetrieval', TINY).params.size()).toBe(70_594);
  });

  it('is seeded: same seed, same weights; another seed, other weights', () => {
    const name = 'text_encoder.encoder.layer.1.crossattention.self.value.weight';
    const a = createRandomBlip('BlipForImageTextRetrieval', TINY, 7).params.get(name).data;
    const b = createRandomBlip('BlipForImageTextRetrieval', TINY, 7).params.get(name).data;
    const c = createRandomBlip('BlipForImageTextRetrieval', TINY, 8).params.get(name).data;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(a[0]).toBeCloseTo(-0.0212878, 6); // pinned: the stream of (seed 7, this name)
  });

  it('initialises weights with std 0.02 (uniform), LayerNorm gains 1 and biases 0', () => {
    const model = createRandomBlip('BlipForConditionalGeneration', TINY, 1);
    const decoder = model.params.get('text_decoder.cls.predictions.decoder.weight').data; // 40 × 32
    const { mean, std } = moments(decoder);
    expect(Math.abs(mean)).toBeLessThan(0.003);
    expect(std).toBeGreaterThan(0.9 * BLIP_RANDOM_STD);
    expect(std).toBeLessThan(1.1 * BLIP_RANDOM_STD);
    expect(Math.max(...decoder.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(3) * BLIP_RANDOM_STD);
    for (const name of ['vision_model.post_layernorm.weight', 'vision_model.encoder.layers.0.layer_norm2.weight', 'text_decoder.bert.embeddings.LayerNorm.weight']) {
      expect(new Set(model.params.get(name).data), name).toEqual(new Set([1]));
    }
    for (const name of ['vision_model.post_layernorm.bias', 'text_decoder.cls.predictions.bias', 'vision_model.embeddings.patch_embedding.bias']) {
      expect(new Set(model.params.get(name).data), name).toEqual(new Set([0]));
    }
    expect(new Set(model.params.get('vision_model.embeddings.class_embedding').data).size).toBe(32);
  });

  it('rejects configs transformers rejects (VQA needs text width = vision width)', () => {
    expect(() => createRandomBlip('BlipForQuestionAnswering', { ...TINY, text_config: { ...TINY.text_config, hidden_size: 48 } })).toThrow(InvalidArgumentError);
  });

  it('a small random captioner generates the same tokens on both engines, scored as teacher forcing scores them', async () => {
    const model = createRandomBlip('BlipForConditionalGeneration', TINY, 3) as BlipForConditionalGeneration;
    const pixels = tf.randomNormal([2, 3, 32, 32], 0, 1, 'float32', 5);
    const onnx = await model.generate(pixels, { maxNewTokens: 5, outputScores: true, engine: 'onnx' });
    const tfjs = await model.generate(pixels, { maxNewTokens: 5, outputScores: true, engine: 'tfjs' });
    expect(onnx.sequences.shape).toEqual([2, 6]);
    expect(onnx.sequences.arraySync()).toEqual(tfjs.sequences.arraySync());
    const [a, b] = [tf.stack(onnx.scores ?? [], 1), tf.stack(tfjs.scores ?? [], 1)];
    expect(relativeError(a, b)).toBeLessThan(2e-5);
    // The step graph's scores equal the teacher-forced logits of the generated prefix (another graph).
    const prefix = tf.slice(onnx.sequences, [0, 0], [2, 5]);
    const forced = await model.forward({ pixelValues: pixels, inputIds: prefix, engine: 'onnx' });
    expect(relativeError(a, forced.logits)).toBeLessThan(2e-5);
    tf.dispose([pixels, a, b, prefix, onnx.sequences, tfjs.sequences, ...(onnx.scores ?? []), ...(tfjs.scores ?? [])]);
    tf.dispose([forced.logits, forced.imageEmbeds, forced.visionModelOutput.lastHiddenState, forced.visionModelOutput.poolerOutput]);
    await model.dispose();
  });

  it('a BLIP-base-sized model (384 px, 12 + 12 layers, 12 text heads) runs ITM retrieval and caption generation on ONNX Runtime', async () => {
    const pixels = tf.randomNormal([1, 3, 384, 384], 0, 1, 'float32', 11);
    const retrieval = createRandomBlip('BlipForImageTextRetrieval', BASE, 0, { intraOpNumThreads: 2 }) as BlipForImageTextRetrieval;
    expect(retrieval.arch.vision.layers).toHaveLength(12);
    expect(retrieval.arch.textEncoder?.layers[0]?.attention).toEqual({ heads: 12, headDim: 64, scale: 0.125 });
    expect(retrieval.params.size()).toBe(223_744_258);
    const ids = tf.tensor2d([[101, 1037, 3899, 2006, 1037, 4049, 102, 0]], undefined, 'int32');
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1, 0]], undefined, 'int32');
    const itm = await retrieval.forward({ pixelValues: pixels, inputIds: ids, attentionMask: mask, engine: 'onnx' });
    expect(itm.itmScore.shape).toEqual([1, 2]);
    expect(itm.imageEmbeds.shape).toEqual([1, 577, 768]);
    // post_layernorm / BERT LayerNorm outputs with gain 1 and bias 0: every row has mean 0, std 1.
    expect(rowNormDeviation(itm.imageEmbeds)).toBeLessThan(1e-3);
    expect(rowNormDeviation(itm.questionEmbeds)).toBeLessThan(1e-3);
    expect(Array.from(itm.itmScore.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([ids, mask, itm.itmScore, itm.imageEmbeds, itm.questionEmbeds, itm.visionModelOutput.lastHiddenState, itm.visionModelOutput.poolerOutput]);
    await retrieval.dispose();

    const captioner = createRandomBlip('BlipForConditionalGeneration', BASE, 0, { intraOpNumThreads: 2 }) as BlipForConditionalGeneration;
    const generated = await captioner.generate(pixels, { maxNewTokens: 2, outputScores: true, engine: 'onnx' });
    const sequence = (generated.sequences.arraySync() as number[][])[0] as number[];
    expect(sequence[0]).toBe(30522); // [DEC]
    expect(generated.scores?.map((s) => s.shape)).toEqual(sequence.slice(1).map(() => [1, 30524]));
    generated.scores?.forEach((s, step) => expect(s.argMax(1).dataSync()[0], `step ${step}`).toBe(sequence[step + 1]));
    tf.dispose([pixels, generated.sequences, ...(generated.scores ?? [])]);
    await captioner.dispose();
  }, 120_000);
});
