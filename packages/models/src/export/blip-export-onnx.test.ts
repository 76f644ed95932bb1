import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import type { BlipModel } from '../blip/load-blip.js';
import { loadModel } from '../load-model.js';
import { decodeModel } from '../onnx/decode.js';
import { greedyWithOrt, openSession, ortError, rows, toOrt } from '../testing/blip-ort.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import { exportOnnx } from './export-onnx.js';

const TOL = 2e-5;
const root = mkdtempSync(path.join(os.tmpdir(), 'vlp-blip-export-'));

/** One fixture: the model, its reference inputs/outputs and its exported directory (default options). */
interface Fixture {
  model: BlipModel;
  inputs: Map<string, tf.Tensor>;
  refs: Map<string, tf.Tensor>;
  dir: string;
  /** Opens `<graph>.onnx` of the export. */
  open(graph: string): Promise<ort.InferenceSession>;
  input(name: string): tf.Tensor;
  ref(name: string): tf.Tensor;
}

async function fixture(name: string): Promise<Fixture> {
  const source = path.join(HF_FIXTURES, name);
  const model = (await loadModel(source)) as BlipModel;
  const inputs = await readReference(path.join(source, 'reference/inputs.safetensors'));
  const refs = await readReference(path.join(source, 'reference/outputs.safetensors'));
  const dir = path.join(root, name);
  await exportOnnx(model, dir);
  const get = (m: Map<string, tf.Tensor>, n: string) => m.get(n) ?? (() => { throw new Error(`no ${n} in ${name}`); })();
  return { model, inputs, refs, dir, open: (graph) => openSession(path.join(dir, `${graph}.onnx`)), input: (n) => get(inputs, n), ref: (n) => get(refs, n) };
}

/** Input and output names and shapes of an exported graph, from the file. */
function signature(dir: string, graph: string): { inputs: string[]; outputs: string[] } {
  const g = decodeModel(readFileSync(path.join(dir, `${graph}.onnx`))).graph;
  const show = (v: { name: string; shape?: readonly (number | string)[] }) => `${v.name} [${(v.shape ?? []).join(', ')}]`;
  return { inputs: g.input.map(show), outputs: g.output.map(show) };
}

const fixtures: Fixture[] = [];
afterAll(async () => {
  for (const f of fixtures) {
    await f.model.dispose();
    tf.dispose([...f.inputs.values(), ...f.refs.values()]);
  }
  rmSync(root, { recursive: true, force: true });
});

describe('exportOnnx (BlipForImageTextRetrieval), run by onnxruntime-node alone', () => {
  let f: Fixture;
  beforeAll(async () => {
    await initBackend();
    f = await fixture('blip-itm-tiny');
    fixtures.push(f);
  });

  it('writes the five retrieval graphs with Hugging Face-style names', () => {
    expect(signature(f.dir, 'model')).toEqual({
      inputs: ['pixel_values [batch_size, 3, 32, 32]', 'input_ids [batch_size, sequence_length]', 'attention_mask [batch_size, sequence_length]'],
      outputs: ['itm_score [batch_size, 2]', 'image_embeds [batch_size, 17, 64]', 'question_embeds [batch_size, sequence_length, 48]'],
    });
    expect(signature(f.dir, 'itc_model')).toEqual({
      inputs: ['pixel_values [image_batch_size, 3, 32, 32]', 'input_ids [text_batch_size, sequence_length]', 'attention_mask [text_batch_size, sequence_length]'],
      outputs: [
        'itm_score [image_batch_size, text_batch_size]',
        'image_feat [image_batch_size, 24]',
        'text_feat [text_batch_size, 24]',
        'image_embeds [image_batch_size, 17, 64]',
        'question_embeds [text_batch_size, sequence_length, 48]',
      ],
    });
    expect(signature(f.dir, 'vision_model').outputs).toEqual(['last_hidden_state [batch_size, 17, 64]', 'pooler_output [batch_size, 64]', 'image_feat [batch_size, 24]']);
    expect(signature(f.dir, 'text_model').outputs).toEqual(['last_hidden_state [batch_size, sequence_length, 48]', 'text_feat [batch_size, 24]']);
    expect(signature(f.dir, 'text_encoder_model')).toEqual({
      inputs: ['input_ids [batch_size, sequence_length]', 'attention_mask [batch_size, sequence_length]', 'encoder_hidden_states [batch_size, 17, 64]'],
      outputs: ['last_hidden_state [batch_size, sequence_length, 48]', 'itm_score [batch_size, 2]'],
    });
  });

  it('model.onnx (ITM) and itc_model.onnx reproduce forward(use_itm_head=True/False)', async () => {
    const feeds = { pixel_values: toOrt(f.input('pixel_values')), input_ids: toOrt(f.input('input_ids')), attention_mask: toOrt(f.input('attention_mask')) };
    const itm = await (await f.open('model')).run(feeds);
    expect(ortError(itm.itm_score, f.ref('itm_logits'))).toBeLessThanOrEqual(TOL);
    expect(ortError(itm.image_embeds, f.ref('image_embeds'))).toBeLessThanOrEqual(TOL);
    expect(ortError(itm.question_embeds, f.ref('itm_question_embeds'))).toBeLessThanOrEqual(TOL);
    const twoImages = rows(f.input('pixel_values'), 0, 2);
    const itc = await (await f.open('itc_model')).run({ ...feeds, pixel_values: toOrt(twoImages) });
    twoImages.dispose();
    expect(itc.itm_score?.dims).toEqual([2, 3]);
    for (const [name, ref] of [['itm_score', 'itc_scores'], ['image_feat', 'itc_image_feat'], ['text_feat', 'itc_text_feat'], ['question_embeds', 'itc_question_embeds']]) {
      expect(ortError(itc[name as string], f.ref(ref as string)), name).toBeLessThanOrEqual(TOL);
    }
  });

  it('vision_model, text_model and text_encoder_model compose to the same scores', async () => {
    const vision = await (await f.open('vision_model')).run({ pixel_values: toOrt(f.input('pixel_values')) });
    expect(ortError(vision.last_hidden_state, f.ref('vision_model.last_hidden_state'))).toBeLessThanOrEqual(TOL);
    expect(ortError(vision.pooler_output, f.ref('vision_model.pooler_output'))).toBeLessThanOrEqual(TOL);
    const feat = vision.image_feat as ort.Tensor;
    expect(ortError({ dims: [2, 24], data: (feat.data as Float32Array).subarray(0, 48) }, f.ref('itc_image_feat'))).toBeLessThanOrEqual(TOL);
    const text = { input_ids: toOrt(f.input('input_ids')), attention_mask: toOrt(f.input('attention_mask')) };
    const alone = await (await f.open('text_model')).run(text);
    expect(ortError(alone.last_hidden_state, f.ref('itc_question_embeds'))).toBeLessThanOrEqual(TOL);
    expect(ortError(alone.text_feat, f.ref('itc_text_feat'))).toBeLessThanOrEqual(TOL);
    const crossed = await (await f.open('text_encoder_model')).run({ ...text, encoder_hidden_states: vision.last_hidden_state as ort.Tensor });
    expect(ortError(crossed.last_hidden_state, f.ref('itm_question_embeds'))).toBeLessThanOrEqual(TOL);
    expect(ortError(crossed.itm_score, f.ref('itm_logits'))).toBeLessThanOrEqual(TOL);
  });
});

describe('exportOnnx (BlipForConditionalGeneration), run by onnxruntime-node alone', () => {
  let f: Fixture;
  beforeAll(async () => {
    await initBackend();
    f = await fixture('blip-caption-tiny');
    fixtures.push(f);
  });

  it('writes model, vision_model and text_decoder_model with Hugging Face-style names', () => {
    expect(signature(f.dir, 'model').outputs).toEqual(['logits [batch_size, sequence_length, 208]', 'image_embeds [batch_size, 17, 64]']);
    expect(signature(f.dir, 'text_decoder_model')).toEqual({
      inputs: ['input_ids [batch_size, sequence_length]', 'attention_mask [batch_size, sequence_length]', 'encoder_hidden_states [batch_size, 17, 64]'],
      outputs: ['logits [batch_size, sequence_length, 208]'],
    });
  });

  it('model.onnx reproduces the teacher-forced logits; vision_model + text_decoder_model the same', async () => {
    const text = { input_ids: toOrt(f.input('input_ids')), attention_mask: toOrt(f.input('attention_mask')) };
    const full = await (await f.open('model')).run({ pixel_values: toOrt(f.input('pixel_values')), ...text });
    expect(ortError(full.logits, f.ref('logits'))).toBeLessThanOrEqual(TOL);
    expect(ortError(full.image_embeds, f.ref('image_embeds'))).toBeLessThanOrEqual(TOL);
    const vision = await (await f.open('vision_model')).run({ pixel_values: toOrt(f.input('pixel_values')) });
    expect(ortError(vision.last_hidden_state, f.ref('image_embeds'))).toBeLessThanOrEqual(TOL);
    expect(ortError(vision.pooler_output, f.ref('vision_model.pooler_output'))).toBeLessThanOrEqual(TOL);
    const decoded = await (await f.open('text_decoder_model')).run({ ...text, encoder_hidden_states: vision.last_hidden_state as ort.Tensor });
    expect(ortError(decoded.logits, f.ref('logits'))).toBeLessThanOrEqual(TOL);
  });

  it('greedy decoding over text_decoder_model reproduces generate() token for token, unconditional and prompted', async () => {
    const vision = await (await f.open('vision_model')).run({ pixel_values: toOrt(f.input('pixel_values')) });
    const decoder = await f.open('text_decoder_model');
    const t = f.model.config.text;
    const common = { decoder, source: { encoder_hidden_states: vision.last_hidden_state as ort.Tensor }, maxNewTokens: 8, stopTokenId: t.sepTokenId, padTokenId: t.padTokenId };
    // HF's prompt rule: [DEC] replaces the first token, the trailing [SEP] is dropped.
    const prompt = (f.ref('generate.prompted.prompt_input_ids').arraySync() as number[][]).map((r) => [t.bosTokenId, ...r.slice(1, -1)]);
    const promptMask = (f.ref('generate.prompted.prompt_attention_mask').arraySync() as number[][]).map((r) => r.slice(0, -1));
    for (const [name, run] of [
      ['unconditional', { ...common, prompt: [[t.bosTokenId], [t.bosTokenId]] }],
      ['prompted', { ...common, prompt, promptMask }],
    ] as const) {
      const out = await greedyWithOrt(run);
      expect(out.sequences, name).toEqual(f.ref(`generate.${name}.sequences`).arraySync());
      const ref = f.ref(`generate.${name}.scores`);
      expect(ortError({ data: out.scores.flatMap((s) => [...s]), dims: ref.shape }, ref), name).toBeLessThanOrEqual(TOL);
    }
  });
});

describe('exportOnnx (BlipForQuestionAnswering), run by onnxruntime-node alone', () => {
  let f: Fixture;
  beforeAll(async () => {
    await initBackend();
    f = await fixture('blip-vqa-tiny');
    fixtures.push(f);
  });

  it('writes model, vision_model, the question encoder and the answer decoder with Hugging Face-style names', () => {
    expect(signature(f.dir, 'model')).toEqual({
      inputs: [
        'pixel_values [batch_size, 3, 32, 32]',
        'input_ids [batch_size, sequence_length]',
        'attention_mask [batch_size, sequence_length]',
        'decoder_input_ids [batch_size, decoder_sequence_length]',
        'decoder_attention_mask [batch_size, decoder_sequence_length]',
      ],
      outputs: ['logits [batch_size, decoder_sequence_length, 208]', 'image_embeds [batch_size, 17, 64]', 'question_embeds [batch_size, sequence_length, 64]'],
    });
    expect(signature(f.dir, 'text_encoder_model').outputs).toEqual(['last_hidden_state [batch_size, sequence_length, 64]']);
    expect(signature(f.dir, 'text_decoder_model').inputs).toEqual([
      'input_ids [batch_size, sequence_length]',
      'attention_mask [batch_size, sequence_length]',
      'encoder_hidden_states [batch_size, encoder_sequence_length, 64]',
      'encoder_attention_mask [batch_size, encoder_sequence_length]',
    ]);
  });

  it('model.onnx reproduces forward(); vision → question encoder → answer decoder the same', async () => {
    const question = { input_ids: toOrt(f.input('input_ids')), attention_mask: toOrt(f.input('attention_mask')) };
    const answer = { input_ids: toOrt(f.input('decoder_input_ids')), attention_mask: toOrt(f.input('decoder_attention_mask')) };
    const full = await (await f.open('model')).run({
      pixel_values: toOrt(f.input('pixel_values')),
      ...question,
      decoder_input_ids: answer.input_ids,
      decoder_attention_mask: answer.attention_mask,
    });
    expect(ortError(full.logits, f.ref('answer_logits'))).toBeLessThanOrEqual(TOL);
    expect(ortError(full.image_embeds, f.ref('image_embeds'))).toBeLessThanOrEqual(TOL);
    expect(ortError(full.question_embeds, f.ref('question_embeds'))).toBeLessThanOrEqual(TOL);
    const vision = await (await f.open('vision_model')).run({ pixel_values: toOrt(f.input('pixel_values')) });
    const encoded = await (await f.open('text_encoder_model')).run({ ...question, encoder_hidden_states: vision.last_hidden_state as ort.Tensor });
    expect(ortError(encoded.last_hidden_state, f.ref('question_embeds'))).toBeLessThanOrEqual(TOL);
    const decoded = await (await f.open('text_decoder_model')).run({
      ...answer,
      encoder_hidden_states: encoded.last_hidden_state as ort.Tensor,
      encoder_attention_mask: question.attention_mask,
    });
    expect(ortError(decoded.logits, f.ref('answer_logits'))).toBeLessThanOrEqual(TOL);
  });

  it('greedy decoding with an all-ones question mask reproduces generate() token for token', async () => {
    const question = { input_ids: toOrt(f.input('input_ids')), attention_mask: toOrt(f.input('attention_mask')) };
    const vision = await (await f.open('vision_model')).run({ pixel_values: toOrt(f.input('pixel_values')) });
    const encoded = await (await f.open('text_encoder_model')).run({ ...question, encoder_hidden_states: vision.last_hidden_state as ort.Tensor });
    const states = encoded.last_hidden_state as ort.Tensor;
    const ones = tf.onesLike(f.input('attention_mask'));
    const t = f.model.config.text;
    const out = await greedyWithOrt({
      decoder: await f.open('text_decoder_model'),
      source: { encoder_hidden_states: states, encoder_attention_mask: toOrt(ones) },
      prompt: [[t.bosTokenId], [t.bosTokenId]],
      maxNewTokens: 6,
      stopTokenId: t.sepTokenId,
      padTokenId: t.padTokenId,
    });
    ones.dispose();
    expect(out.sequences).toEqual(f.ref('generate.sequences').arraySync());
    const ref = f.ref('generate.scores');
    expect(ortError({ data: out.scores.flatMap((s) => [...s]), dims: ref.shape }, ref)).toBeLessThanOrEqual(TOL);
  });
});
