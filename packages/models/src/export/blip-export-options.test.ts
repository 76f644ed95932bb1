import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, InvalidArgumentError } from '@vlp/core';
import type { BlipForConditionalGeneration } from '../blip/blip-caption-model.js';
import type { BlipForImageTextRetrieval } from '../blip/blip-retrieval-model.js';
import type { BlipForQuestionAnswering } from '../blip/blip-vqa-model.js';
import { loadModel } from '../load-model.js';
import { decodeModel } from '../onnx/decode.js';
import { openSession, ortError, toOrt } from '../testing/blip-ort.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import { exportOnnx } from './export-onnx.js';

const TOL = 2e-5;
const root = mkdtempSync(path.join(os.tmpdir(), 'vlp-blip-export-options-'));
let counter = 0;
const fresh = () => path.join(root, `case-${counter++}`);
const invalid = (e: unknown) => InvalidArgumentError.isInstance(e);

describe('exportOnnx (BLIP) options', () => {
  let itm: BlipForImageTextRetrieval;
  let caption: BlipForConditionalGeneration;
  let inputs: Map<string, tf.Tensor>;
  let refs: Map<string, tf.Tensor>;
  const input = (n: string) => inputs.get(n) as tf.Tensor;

  beforeAll(async () => {
    await initBackend();
    itm = (await loadModel(path.join(HF_FIXTURES, 'blip-itm-tiny'))) as BlipForImageTextRetrieval;
    caption = (await loadModel(path.join(HF_FIXTURES, 'blip-caption-tiny'))) as BlipForConditionalGeneration;
    inputs = await readReference(path.join(HF_FIXTURES, 'blip-itm-tiny/reference/inputs.safetensors'));
    refs = await readReference(path.join(HF_FIXTURES, 'blip-itm-tiny/reference/outputs.safetensors'));
  });
  afterAll(async () => {
    await itm.dispose();
    await caption.dispose();
    tf.dispose([...inputs.values(), ...refs.values()]);
    rmSync(root, { recursive: true, force: true });
  });

  it('exports a fixed sequence length on request (inputs padded to exactly that length)', async () => {
    const dir = fresh();
    const exported = await exportOnnx(itm, dir, { sequenceLength: 13, graphs: ['model'] });
    expect(exported.files).toEqual([{ graph: 'model', file: 'model.onnx' }]);
    expect(readdirSync(dir)).toEqual(['model.onnx']);
    const graph = decodeModel(readFileSync(path.join(dir, 'model.onnx'))).graph;
    expect(graph.input.map((i) => i.shape)).toEqual([['batch_size', 3, 32, 32], ['batch_size', 13], ['batch_size', 13]]);
    expect(graph.output.map((o) => o.shape)).toEqual([['batch_size', 2], ['batch_size', 17, 64], ['batch_size', 13, 48]]);
    const out = await (await openSession(path.join(dir, 'model.onnx'))).run({
      pixel_values: toOrt(input('pixel_values')),
      input_ids: toOrt(input('input_ids')),
      attention_mask: toOrt(input('attention_mask')),
    });
    expect(ortError(out.itm_score, refs.get('itm_logits') as tf.Tensor)).toBeLessThanOrEqual(TOL);
  });

  it('pads dynamic text to maxSequenceLength inside the graph and rejects longer inputs by name', async () => {
    const dir = fresh();
    await exportOnnx(itm, dir, { maxSequenceLength: 13, graphs: ['text_model'] });
    expect(decodeModel(readFileSync(path.join(dir, 'text_model.onnx'))).docString).toContain('any length up to 13');
    const session = await openSession(path.join(dir, 'text_model.onnx'), 4); // 4: the rejected run would log to stderr
    const ids = input('input_ids');
    const short = tf.slice(ids, [0, 0], [-1, 7]);
    const out = await session.run({ input_ids: toOrt(short), attention_mask: toOrt(tf.onesLike(short)) });
    expect(out.last_hidden_state?.dims).toEqual([3, 7, 48]);
    const long = tf.concat([ids, tf.zerosLike(tf.slice(ids, [0, 0], [-1, 1]))], 1);
    await expect(session.run({ input_ids: toOrt(long), attention_mask: toOrt(tf.onesLike(long)) })).rejects.toThrow(/input_ids_longer_than_13_tokens/);
    tf.dispose([short, long]);
  });

  it('stores weights as external data (<file>.onnx_data) when asked, loaded from disk by ORT', async () => {
    const dir = fresh();
    const exported = await exportOnnx(itm, dir, { externalDataThreshold: 0, graphs: ['vision_model', 'text_encoder_model'] });
    expect(exported.files).toEqual([
      { graph: 'vision_model', file: 'vision_model.onnx', externalDataFile: 'vision_model.onnx_data' },
      { graph: 'text_encoder_model', file: 'text_encoder_model.onnx', externalDataFile: 'text_encoder_model.onnx_data' },
    ]);
    expect(statSync(path.join(dir, 'vision_model.onnx')).size).toBeLessThan(statSync(path.join(dir, 'vision_model.onnx_data')).size);
    const vision = await (await openSession(path.join(dir, 'vision_model.onnx'))).run({ pixel_values: toOrt(input('pixel_values')) });
    expect(ortError(vision.last_hidden_state, refs.get('image_embeds') as tf.Tensor)).toBeLessThanOrEqual(TOL);
    const text = await (await openSession(path.join(dir, 'text_encoder_model.onnx'))).run({
      input_ids: toOrt(input('input_ids')),
      attention_mask: toOrt(input('attention_mask')),
      encoder_hidden_states: vision.last_hidden_state as never,
    });
    expect(ortError(text.itm_score, refs.get('itm_logits') as tf.Tensor)).toBeLessThanOrEqual(TOL);
  });

  it('a perturbed VQA model’s export reproduces that model (vlp forward on ONNX Runtime)', async () => {
    const vqa = (await loadModel(path.join(HF_FIXTURES, 'blip-vqa-tiny'))) as BlipForQuestionAnswering;
    const vqaInputs = await readReference(path.join(HF_FIXTURES, 'blip-vqa-tiny/reference/inputs.safetensors'));
    const vqaRefs = await readReference(path.join(HF_FIXTURES, 'blip-vqa-tiny/reference/outputs.safetensors'));
    const get = (n: string) => vqaInputs.get(n) as tf.Tensor;
    for (const name of ['vision_model.encoder.layers.1.mlp.fc1.weight', 'text_encoder.encoder.layer.0.crossattention.self.value.weight', 'text_decoder.cls.predictions.decoder.weight']) {
      const data = vqa.params.get(name).data.slice();
      for (let i = 0; i < data.length; i += 3) data[i] = 0;
      vqa.params.set(name, data);
    }
    const dir = fresh();
    await exportOnnx(vqa, dir, { graphs: ['model'] });
    const expected = await vqa.forward({
      pixelValues: get('pixel_values'),
      inputIds: get('input_ids'),
      attentionMask: get('attention_mask'),
      decoderInputIds: get('decoder_input_ids'),
      decoderAttentionMask: get('decoder_attention_mask'),
      engine: 'onnx',
    });
    expect(ortError({ data: expected.answerLogits.dataSync(), dims: expected.answerLogits.shape }, vqaRefs.get('answer_logits') as tf.Tensor)).toBeGreaterThan(1e-3); // the edit matters
    const out = await (await openSession(path.join(dir, 'model.onnx'))).run({
      pixel_values: toOrt(get('pixel_values')),
      input_ids: toOrt(get('input_ids')),
      attention_mask: toOrt(get('attention_mask')),
      decoder_input_ids: toOrt(get('decoder_input_ids')),
      decoder_attention_mask: toOrt(get('decoder_attention_mask')),
    });
    expect(ortError(out.logits, expected.answerLogits)).toBeLessThanOrEqual(TOL);
    expect(ortError(out.question_embeds, expected.questionEmbeds)).toBeLessThanOrEqual(TOL);
    tf.dispose([expected.answerLogits, expected.questionEmbeds, expected.imageEmbeds, expected.visionModelOutput.lastHiddenState, expected.visionModelOutput.poolerOutput]);
    tf.dispose([...vqaInputs.values(), ...vqaRefs.values()]);
    await vqa.dispose();
  });

  it('validates options against the head class', async () => {
    await expect(exportOnnx(caption, fresh(), { graphs: ['itc_model'] })).rejects.toThrow(/model, vision_model, text_decoder_model/);
    for (const bad of [
      { graphs: [] },
      { graphs: ['text_decoder_model'] as const },
      { sequenceLength: 25 },
      { sequenceLength: 0 },
      { maxSequenceLength: 25 },
      { maxSequenceLength: 8, sequenceLength: 8 },
      { externalDataThreshold: -1 },
    ]) {
      await expect(exportOnnx(itm, fresh(), bad), JSON.stringify(bad)).rejects.toSatisfy(invalid);
    }
  });

  it('maxSequenceLength is BLIP only: a CLIP export refuses it', async () => {
    const clip = await loadModel(path.join(HF_FIXTURES, 'clip-tiny'));
    await expect(exportOnnx(clip, fresh(), { maxSequenceLength: 8 })).rejects.toThrow(/BLIP only/);
    await clip.dispose();
  });

  it('refuses a non-empty directory unless overwrite', async () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'other'), 'x');
    await expect(exportOnnx(caption, dir, { graphs: ['vision_model'] })).rejects.toThrow(dir);
    await exportOnnx(caption, dir, { graphs: ['vision_model'], overwrite: true });
    expect(readdirSync(dir)).toEqual(['vision_model.onnx']);
  });
});
