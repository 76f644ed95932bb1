import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference, relativeError } from '../testing/fixtures.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';

const dir = path.join(HF_FIXTURES, 'blip-vqa-tiny');
const TOL = 2e-5;

describe('BlipForQuestionAnswering on blip-vqa-tiny', () => {
  let model: BlipForQuestionAnswering;
  let inputs: Map<string, tf.Tensor>;
  let refs: Map<string, tf.Tensor>;
  const input = (name: string) => inputs.get(name) as tf.Tensor;
  const ref = (name: string) => refs.get(name) as tf.Tensor;

  beforeAll(async () => {
    await initBackend();
    const loaded = await loadModel(dir);
    if (!(loaded instanceof BlipForQuestionAnswering)) throw new Error('expected BlipForQuestionAnswering');
    model = loaded;
    inputs = await readReference(path.join(dir, 'reference/inputs.safetensors'));
    refs = await readReference(path.join(dir, 'reference/outputs.safetensors'));
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values(), ...refs.values()]);
  });

  for (const engine of ['onnx', 'tfjs'] as const) {
    it(`matches every reference tensor on the ${engine} engine (embeddings, answer logits, loss, generation)`, async () => {
      const out = await model.forward({
        pixelValues: input('pixel_values'),
        inputIds: input('input_ids'),
        attentionMask: input('attention_mask'),
        decoderInputIds: input('decoder_input_ids'),
        decoderAttentionMask: input('decoder_attention_mask'),
        labels: input('decoder_input_ids'),
        engine,
      });
      const generated = await model.generate(input('input_ids'), input('pixel_values'), {
        attentionMask: input('attention_mask'),
        maxNewTokens: 6,
        outputScores: true,
        engine,
      });
      const got: Record<string, tf.Tensor> = {
        image_embeds: out.imageEmbeds,
        question_embeds: out.questionEmbeds,
        answer_logits: out.answerLogits,
        loss: (out.loss as tf.Tensor).reshape([1]),
        'generate.scores': tf.stack(generated.scores ?? []),
      };
      expect([...Object.keys(got), 'generate.sequences'].sort()).toEqual([...refs.keys()].sort());
      for (const [name, t] of Object.entries(got)) expect(relativeError(t, ref(name)), `${engine}: ${name}`).toBeLessThanOrEqual(TOL);
      expect(generated.sequences.arraySync()).toEqual(ref('generate.sequences').arraySync());
      tf.dispose([...Object.values(got), out.loss, generated.sequences, ...(generated.scores ?? [])].filter((t): t is tf.Tensor => t !== undefined));
      tf.dispose([out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput]);
    });
  }

  it('generate() cross-attends the question with an all-ones mask, unlike forward()', async () => {
    // Row 0 of the question is padded: forward's answer logits mask the padding, generate's first step does not.
    const answer = tf.tensor2d([[206], [206]], [2, 1], 'int32');
    const out = await model.forward({ pixelValues: input('pixel_values'), inputIds: input('input_ids'), attentionMask: input('attention_mask'), decoderInputIds: answer });
    const masked = out.answerLogits.reshape([2, -1]);
    const firstStep = ref('generate.scores').slice([0, 0, 0], [1, -1, -1]).reshape([2, -1]);
    expect(relativeError(masked.slice([1, 0], [1, -1]), firstStep.slice([1, 0], [1, -1]))).toBeLessThanOrEqual(TOL);
    expect(relativeError(masked.slice([0, 0], [1, -1]), firstStep.slice([0, 0], [1, -1]))).toBeGreaterThan(1e-3);
    tf.dispose([answer, masked, firstStep, out.answerLogits, out.imageEmbeds, out.questionEmbeds, out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput]);
  });

  it('excludes -100 labels from the loss mean (CrossEntropyLoss ignore_index)', async () => {
    const ids = input('decoder_input_ids');
    const base = { pixelValues: input('pixel_values'), inputIds: input('input_ids'), attentionMask: input('attention_mask'), decoderInputIds: ids, engine: 'onnx' as const };
    const ignored = tf.tidy(() => tf.concat([ids.slice([0, 0], [-1, 3]), tf.fill([2, 2], -100, 'int32')], 1));
    const partial = await model.forward({ ...base, labels: ignored });
    // Same loss as averaging only positions 1, 2 of each row: compute from the logits on the host.
    const logits = partial.answerLogits.arraySync() as number[][][];
    const labels = ids.arraySync() as number[][];
    let total = 0;
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 2; t++) {
        const row = (logits[b] as number[][])[t] as number[];
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        total += -0.9 * (((row[(labels[b] as number[])[t + 1] as number] as number) - lse)) - (0.1 / row.length) * row.reduce((s, v) => s + v - lse, 0);
      }
    }
    expect(Math.abs((partial.loss?.dataSync()[0] as number) - total / 4)).toBeLessThan(2e-5);
    tf.dispose([ignored, partial.loss, partial.answerLogits, partial.imageEmbeds, partial.questionEmbeds, partial.visionModelOutput.lastHiddenState, partial.visionModelOutput.poolerOutput].filter((t): t is tf.Tensor => t !== undefined));
  });
});
