import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type TapSpec, VlpError } from '@vlp/core';
import { BLIP_MAIN_OUTPUT, type FixtureBatch, fixtureBatch, loadBlipFixture } from '../testing/blip-fixtures.js';
import { relativeError } from '../testing/fixtures.js';
import type { BlipForConditionalGeneration } from './blip-caption-model.js';
import type { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import { blipView } from './blip-view.js';
import type { BlipForQuestionAnswering } from './blip-vqa-model.js';

const VQA_TEXT = 'text_encoder.encoder.layer';
const VQA_DEC = 'text_decoder.bert.encoder.layer';

/** Every tensor inside a (nested) model output. */
function tensorsIn(value: unknown): tf.Tensor[] {
  if (value instanceof tf.Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap(tensorsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(tensorsIn);
  return [];
}

/** The gate groups the BLIP descriptions apply (as blip-gates.test.ts lists them), for a 2+2+2-layer VQA model. */
function describedGateGroups(): string[] {
  const groups: string[] = [];
  for (const root of ['vision', 'text', 'decoder']) {
    for (let i = 0; i < 2; i++) {
      groups.push(`${root}.${i}.attn.heads`, `${root}.${i}.attn.channels`, `${root}.${i}.mlp`, `${root}.${i}.layer`);
      if (root !== 'vision') groups.push(`${root}.${i}.cross.heads`, `${root}.${i}.cross.channels`);
    }
  }
  return groups.sort();
}

describe('the BLIP prunable view', () => {
  let itm: BlipForImageTextRetrieval;
  let caption: BlipForConditionalGeneration;
  let vqa: BlipForQuestionAnswering;
  const data: Record<string, FixtureBatch> = {};

  beforeAll(async () => {
    await initBackend();
    [itm, caption, vqa] = await Promise.all([loadBlipFixture('retrieval'), loadBlipFixture('captioning'), loadBlipFixture('vqa')]);
    for (const task of ['retrieval', 'captioning', 'vqa'] as const) data[task] = await fixtureBatch(task);
  });
  afterAll(async () => {
    await Promise.all([itm.dispose(), caption.dispose(), vqa.dispose()]);
    tf.dispose(Object.values(data).flatMap((d) => [...d.inputs.values()]));
  });

  it('lists the fused vision qkv, projection, fc1, fc2 and every BERT linear with role, modality and [out, in]', () => {
    const view = blipView(vqa);
    expect(view.architecture).toBe('blip-vqa');
    expect(view.modalities).toEqual(['vision', 'text', 'fusion']);
    expect(view.units).toHaveLength(2 * 4 + 2 * 2 * 10);
    expect(view.units.slice(0, 2)).toEqual([
      { name: 'vision_model.encoder.layers.0.self_attn.qkv.weight', modality: 'vision', blockId: 'vision.0', block: 0, role: 'attn.qkv', shape: [192, 64] },
      { name: 'vision_model.encoder.layers.0.self_attn.projection.weight', modality: 'vision', blockId: 'vision.0', block: 0, role: 'attn.out', shape: [64, 64] },
    ]);
    const roles = view.units.filter((u) => u.blockId === 'decoder.1').map((u) => [u.name.slice(`${VQA_DEC}.1.`.length), u.role, u.modality]);
    expect(roles).toEqual([
      ['attention.self.query.weight', 'attn.q', 'text'],
      ['attention.self.key.weight', 'attn.k', 'text'],
      ['attention.self.value.weight', 'attn.v', 'text'],
      ['attention.output.dense.weight', 'attn.out', 'text'],
      ['crossattention.self.query.weight', 'cross.q', 'fusion'],
      ['crossattention.self.key.weight', 'cross.k', 'fusion'],
      ['crossattention.self.value.weight', 'cross.v', 'fusion'],
      ['crossattention.output.dense.weight', 'cross.out', 'fusion'],
      ['intermediate.dense.weight', 'mlp.fc1', 'text'],
      ['output.dense.weight', 'mlp.fc2', 'text'],
    ]);
    // Retrieval: text hidden 48, cross-attention keys/values read the 64-wide image tokens.
    const itmView = blipView(itm);
    expect(itmView.architecture).toBe('blip-itm');
    expect(itmView.units.find((u) => u.name === 'text_encoder.encoder.layer.1.crossattention.self.key.weight')).toMatchObject({ role: 'cross.k', shape: [48, 64], blockId: 'text.1', block: 1 });
    expect(itmView.units.find((u) => u.name === 'text_encoder.encoder.layer.1.crossattention.output.dense.weight')?.shape).toEqual([48, 48]);
    const captionView = blipView(caption);
    expect(captionView.architecture).toBe('blip-caption');
    expect(captionView.units.map((u) => u.blockId).filter((b, i, all) => all.indexOf(b) === i)).toEqual(['vision.0', 'vision.1', 'decoder.0', 'decoder.1']);
  });

  it('gives every head, channel, neuron and layer the rows/columns it owns (fused qkv blocks included) and a described gate', () => {
    const view = blipView(vqa);
    const perVision = 4 + 16 + 128 + 1;
    const perBert = 2 * (4 + 16) + 128 + 1;
    expect(view.structures).toHaveLength(2 * perVision + 4 * perBert);
    const head = view.structures.find((s) => s.id === 'vision.1.attn.head.2');
    expect(head?.gate).toEqual({ group: 'vision.1.attn.heads', index: 2 });
    expect(head?.slices.map((s) => [s.unit.split('.').slice(-2).join('.'), s.axis, s.indices.length])).toEqual([
      ['qkv.weight', 'out', 48],
      ['projection.weight', 'in', 16],
    ]);
    const rows = head?.slices[0]?.indices ?? [];
    expect([rows[0], rows[15], rows[16], rows[31], rows[32], rows[47]]).toEqual([32, 47, 96, 111, 160, 175]);
    expect(head?.params).toBe(16 * (3 * 65 + 64));
    const channel = view.structures.find((s) => s.id === 'vision.0.attn.channel.3');
    expect(channel?.slices[0]?.indices).toEqual([3, 19, 35, 51, 67, 83, 99, 115, 131, 147, 163, 179]);
    expect(channel?.slices[1]?.indices).toEqual([3, 19, 35, 51]);
    const cross = view.structures.find((s) => s.id === 'text.1.cross.head.1');
    expect(cross).toMatchObject({ kind: 'head', modality: 'fusion', blockId: 'text.1', gate: { group: 'text.1.cross.heads', index: 1 } });
    expect(cross?.slices.map((s) => [s.unit.slice(`${VQA_TEXT}.1.`.length), s.axis, s.indices[0], s.indices.length])).toEqual([
      ['crossattention.self.query.weight', 'out', 16, 16],
      ['crossattention.self.key.weight', 'out', 16, 16],
      ['crossattention.self.value.weight', 'out', 16, 16],
      ['crossattention.output.dense.weight', 'in', 16, 16],
    ]);
    const neuron = view.structures.find((s) => s.id === 'decoder.0.mlp.neuron.7');
    expect(neuron?.slices).toEqual([
      { unit: `${VQA_DEC}.0.intermediate.dense.weight`, axis: 'out', indices: [7] },
      { unit: `${VQA_DEC}.0.output.dense.weight`, axis: 'in', indices: [7] },
    ]);
    // A layer owns every unit of its block and counts every parameter of it (LayerNorms included).
    for (const [blockId, prefix] of [
      ['vision.0', 'vision_model.encoder.layers.0.'],
      ['text.1', `${VQA_TEXT}.1.`],
      ['decoder.0', `${VQA_DEC}.0.`],
    ] as const) {
      const layer = view.structures.find((s) => s.id === `${blockId}.layer`);
      const stored = vqa.params.names().filter((n) => n.startsWith(prefix)).reduce((sum, n) => sum + vqa.params.get(n).data.length, 0);
      expect(layer?.params, blockId).toBe(stored);
      expect(layer?.slices.map((s) => s.unit)).toEqual(view.units.filter((u) => u.blockId === blockId).map((u) => u.name));
    }
    expect([...new Set(view.structures.map((s) => s.gate.group))].sort()).toEqual(describedGateGroups());
  });

  it('maps cross-attention to the text modality with { fusionAs: "text" } (MULTIFLOW\'s split)', () => {
    const view = blipView(vqa, { fusionAs: 'text' });
    expect(view.modalities).toEqual(['vision', 'text']);
    expect(new Set(view.units.map((u) => u.modality))).toEqual(new Set(['vision', 'text']));
    expect(view.structures.find((s) => s.id === 'decoder.0.cross.channel.0')?.modality).toBe('text');
    expect(blipView(vqa).units.filter((u) => u.modality === 'fusion')).toHaveLength(16);
  });

  for (const engine of ['onnx', 'tfjs'] as const) {
    it(`runs each class's forward on the ${engine} engine (ITM, teacher-forced caption, VQA answers)`, async () => {
      const pixelValues = data.retrieval?.batch.pixelValues as tf.Tensor;
      const { inputIds, attentionMask } = data.retrieval?.batch as FixtureBatch['batch'];
      const itmOut = await itm.forward({ pixelValues, inputIds, attentionMask, engine });
      const itmRun = await blipView(itm).run(data.retrieval?.batch as FixtureBatch['batch'], { engine });
      expect(itmRun.engine).toBe(engine);
      expect(relativeError(itmRun.outputs[BLIP_MAIN_OUTPUT.retrieval] as tf.Tensor, itmOut.itmScore)).toBeLessThan(1e-6);
      expect(relativeError(itmRun.outputs.question_embeds as tf.Tensor, itmOut.questionEmbeds)).toBeLessThan(1e-6);
      const cb = data.captioning?.batch as FixtureBatch['batch'];
      const capOut = await caption.forward({ ...cb, engine });
      const capRun = await blipView(caption).run(cb, { engine });
      expect(relativeError(capRun.outputs.logits as tf.Tensor, capOut.logits)).toBeLessThan(1e-6);
      expect(relativeError(capRun.outputs['vision_model.last_hidden_state'] as tf.Tensor, capOut.imageEmbeds)).toBeLessThan(1e-6);
      const vb = data.vqa?.batch as FixtureBatch['batch'];
      const vqaOut = await vqa.forward({ ...vb, engine });
      const vqaRun = await blipView(vqa).run({ ...vb, decoderInputIds: vb.decoderInputIds as tf.Tensor }, { engine });
      expect(relativeError(vqaRun.outputs.answer_logits as tf.Tensor, vqaOut.answerLogits)).toBeLessThan(1e-6);
      expect(relativeError(vqaRun.outputs.question_embeds as tf.Tensor, vqaOut.questionEmbeds)).toBeLessThan(1e-6);
      for (const r of [itmRun, capRun, vqaRun]) r.dispose();
      tf.dispose(tensorsIn([itmOut, capOut, vqaOut]));
    });
  }

  it('weights text-token taps by their valid-token mask and leaves image-token taps unweighted (retrieval, caption)', async () => {
    const b = data.retrieval?.batch as FixtureBatch['batch'];
    const taps: TapSpec[] = [
      { kind: 'input-sum-squares', unit: 'text_encoder.encoder.layer.0.attention.self.query.weight', tokens: 'valid' },
      { kind: 'input-sum-squares', unit: 'text_encoder.encoder.layer.0.crossattention.self.key.weight', tokens: 'valid' },
      { kind: 'input-sum-squares', unit: 'text_encoder.encoder.layer.0.attention.self.query.weight', tokens: 'all' },
      { kind: 'block-output-pooled', blockId: 'text.1' },
      { kind: 'input-sum-squares', unit: 'vision_model.encoder.layers.1.self_attn.qkv.weight', tokens: 'valid' },
    ];
    const run = await blipView(itm).run(b, { taps, engine: 'onnx' });
    const ref = await itm.forward({ pixelValues: b.pixelValues, inputIds: b.inputIds, attentionMask: b.attentionMask, outputHiddenStates: true, engine: 'onnx' });
    const valid = tf.tidy(() => (b.attentionMask as tf.Tensor).sum().arraySync() as number);
    expect(valid).toBe(27); // of 3 × 13 positions
    expect(run.taps.map((t) => [t.tokens, t.sequences])).toEqual([
      [valid, 3],
      [3 * 17, 3],
      [3 * 13, 3],
      [valid, 3],
      [3 * 17, 3],
    ]);
    const expected = tf.tidy(() => {
      const mask = (b.attentionMask as tf.Tensor).toFloat().reshape([3, 13, 1]);
      const embeddings = ref.textEncoderHiddenStates?.[0] as tf.Tensor;
      return [
        embeddings.square().mul(mask).sum([0, 1]),
        ref.imageEmbeds.square().sum([0, 1]),
        embeddings.square().sum([0, 1]),
        ref.questionEmbeds.mul(mask).sum(1).div(mask.sum(1)),
      ];
    });
    expected.forEach((e, i) => expect(relativeError(run.taps[i]?.value as tf.Tensor, e), `tap ${i}`).toBeLessThan(1e-5));
    expect(run.taps[4]?.value.shape).toEqual([64]);
    // Captioning: the decoder's cross keys read the image tokens; its queries the caption tokens.
    const cb = data.captioning?.batch as FixtureBatch['batch'];
    const capTaps: TapSpec[] = [
      { kind: 'input-sum-squares', unit: 'text_decoder.bert.encoder.layer.1.crossattention.self.value.weight', tokens: 'valid' },
      { kind: 'input-mean-abs', unit: 'text_decoder.bert.encoder.layer.1.crossattention.self.query.weight', tokens: 'valid' },
    ];
    const capRun = await blipView(caption).run(cb, { taps: capTaps, engine: 'tfjs' });
    const capValid = tf.tidy(() => (cb.attentionMask as tf.Tensor).sum().arraySync() as number);
    expect(capValid).toBeLessThan(22);
    expect(capRun.taps.map((t) => [t.tokens, t.sequences])).toEqual([
      [2 * 17, 2],
      [capValid, 2],
    ]);
    tf.dispose([...expected, ...tensorsIn(ref)]);
    run.dispose();
    capRun.dispose();
  });

  it('VQA: decoder taps use the answer mask, the decoder cross keys read the question with its mask', async () => {
    const vb = data.vqa?.batch as FixtureBatch['batch'];
    const batch = { ...vb, decoderInputIds: vb.decoderInputIds as tf.Tensor };
    const taps: TapSpec[] = [
      { kind: 'input-sum-squares', unit: `${VQA_DEC}.0.crossattention.self.key.weight`, tokens: 'valid' },
      { kind: 'input-sum-squares', unit: `${VQA_DEC}.0.attention.self.query.weight`, tokens: 'valid' },
      { kind: 'input-sum-squares', unit: `${VQA_TEXT}.0.crossattention.self.key.weight`, tokens: 'valid' },
    ];
    for (const engine of ['onnx', 'tfjs'] as const) {
      const run = await blipView(vqa).run(batch, { taps, engine });
      const ref = await vqa.forward({ ...batch, outputHiddenStates: true, engine });
      const [questionValid, answerValid] = tf.tidy(() => [vb.attentionMask as tf.Tensor, vb.decoderAttentionMask as tf.Tensor].map((m) => m.sum().arraySync() as number));
      expect(run.taps.map((t) => [t.tokens, t.sequences])).toEqual([
        [questionValid, 2],
        [answerValid, 2],
        [2 * 17, 2],
      ]);
      expect(questionValid).toBeLessThan(24);
      const expected = tf.tidy(() => {
        const qMask = (vb.attentionMask as tf.Tensor).toFloat().reshape([2, 12, 1]);
        const aMask = (vb.decoderAttentionMask as tf.Tensor).toFloat().reshape([2, 5, 1]);
        return [
          ref.questionEmbeds.square().mul(qMask).sum([0, 1]),
          (ref.decoderHiddenStates?.[0] as tf.Tensor).square().mul(aMask).sum([0, 1]),
          ref.imageEmbeds.square().sum([0, 1]),
        ];
      });
      expected.forEach((e, i) => expect(relativeError(run.taps[i]?.value as tf.Tensor, e), `${engine} tap ${i}`).toBeLessThan(1e-5));
      tf.dispose([...expected, ...tensorsIn(ref)]);
      run.dispose();
    }
  });

  it('gates change only the run: a zero decoder cross head changes the answers, not the question; all-ones gates change nothing', async () => {
    const vb = data.vqa?.batch as FixtureBatch['batch'];
    const batch = { ...vb, decoderInputIds: vb.decoderInputIds as tf.Tensor };
    const view = blipView(vqa);
    const before = vqa.params.get(`${VQA_DEC}.1.crossattention.self.query.weight`).data.slice();
    for (const engine of ['onnx', 'tfjs'] as const) {
      const headOff = { 'decoder.1.cross.heads': tf.tensor1d([1, 0, 1, 1]) };
      const ones = Object.fromEntries(describedGateGroups().map((g) => [g, tf.ones([view.structures.filter((s) => s.gate.group === g).length]) as tf.Tensor1D]));
      const [plain, off, allOnes] = await Promise.all([view.run(batch, { engine }), view.run(batch, { gates: headOff, engine }), view.run(batch, { gates: ones, engine })]);
      expect(relativeError(off.outputs.answer_logits as tf.Tensor, plain.outputs.answer_logits as tf.Tensor)).toBeGreaterThan(1e-3);
      expect(relativeError(off.outputs.question_embeds as tf.Tensor, plain.outputs.question_embeds as tf.Tensor)).toBe(0);
      expect(relativeError(allOnes.outputs.answer_logits as tf.Tensor, plain.outputs.answer_logits as tf.Tensor)).toBeLessThan(1e-6);
      [plain, off, allOnes].forEach((r) => r.dispose());
      tf.dispose([...Object.values(headOff), ...Object.values(ones)]);
    }
    expect(vqa.params.get(`${VQA_DEC}.1.crossattention.self.query.weight`).data).toEqual(before);
  });

  it('applyMasks zeroes exactly the masked weights in the ParamStore and the outputs follow (= a masked-weight override)', async () => {
    const model = await loadBlipFixture('vqa');
    const vb = data.vqa?.batch as FixtureBatch['batch'];
    const batch = { ...vb, decoderInputIds: vb.decoderInputIds as tf.Tensor };
    const view = blipView(model);
    const names = ['vision_model.encoder.layers.0.self_attn.qkv.weight', `${VQA_TEXT}.1.crossattention.self.key.weight`, `${VQA_DEC}.0.intermediate.dense.weight`];
    const masks = new Map<string, Uint8Array>();
    const originals = new Map<string, Float32Array>();
    const overrides: Record<string, tf.Tensor2D> = {};
    for (const name of names) {
      const unit = view.units.find((u) => u.name === name);
      const w = model.params.get(name).data;
      const mask = Uint8Array.from(w, (v) => (Math.abs(v) < 0.05 ? 0 : 1)); // ≈ 40 % smallest magnitudes
      masks.set(name, mask);
      originals.set(name, w.slice());
      overrides[name] = tf.tensor2d(w.map((v, i) => (mask[i] ? v : 0)), unit?.shape as [number, number]);
    }
    const dense = await view.run(batch, { engine: 'onnx' });
    const overridden = await view.run(batch, { weights: overrides, engine: 'onnx' });
    view.applyMasks(masks);
    for (const name of names) {
      const [got, original, mask] = [model.params.get(name).data, originals.get(name) as Float32Array, masks.get(name) as Uint8Array];
      const zeroed = mask.reduce((n, m) => n + (m === 0 ? 1 : 0), 0);
      expect(zeroed / mask.length, name).toBeGreaterThan(0.2);
      expect(Array.from(got).every((v, i) => (mask[i] ? v === original[i] : v === 0)), name).toBe(true);
    }
    expect(model.params.get('vision_model.encoder.layers.0.self_attn.qkv.bias').data).toEqual(vqa.params.get('vision_model.encoder.layers.0.self_attn.qkv.bias').data);
    for (const engine of ['onnx', 'tfjs'] as const) {
      const masked = await view.run(batch, { engine });
      expect(relativeError(masked.outputs.answer_logits as tf.Tensor, overridden.outputs.answer_logits as tf.Tensor), engine).toBeLessThan(1e-5);
      expect(relativeError(masked.outputs.answer_logits as tf.Tensor, dense.outputs.answer_logits as tf.Tensor), engine).toBeGreaterThan(1e-3);
      masked.dispose();
    }
    const out = await model.forward({ ...batch, engine: 'onnx' });
    expect(relativeError(out.answerLogits, overridden.outputs.answer_logits as tf.Tensor)).toBeLessThan(1e-6);
    tf.dispose([...tensorsIn(out), ...Object.values(overrides)]);
    dense.dispose();
    overridden.dispose();
    await model.dispose();
  });

  it('leaves no tensors behind, with or without attention masks', async () => {
    const vb = data.vqa?.batch as FixtureBatch['batch'];
    const view = blipView(vqa);
    const taps: TapSpec[] = [{ kind: 'input-gram', unit: `${VQA_DEC}.1.crossattention.self.value.weight`, tokens: 'valid' }];
    (await view.run({ ...vb, decoderInputIds: vb.decoderInputIds as tf.Tensor }, { taps, engine: 'tfjs' })).dispose(); // warm the parameter cache
    const before = tf.memory().numTensors;
    for (const engine of ['onnx', 'tfjs'] as const) {
      const withMasks = await view.run({ ...vb, decoderInputIds: vb.decoderInputIds as tf.Tensor }, { taps, engine });
      const withoutMasks = await view.run({ pixelValues: vb.pixelValues, inputIds: vb.inputIds, decoderInputIds: vb.decoderInputIds as tf.Tensor }, { taps, engine });
      expect(withMasks.taps[0]?.value.shape).toEqual([64, 64]);
      expect(withoutMasks.taps[0]?.tokens).toBe(2 * 12);
      withMasks.dispose();
      withoutMasks.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects batches whose images and texts do not pair up, and taps naming no unit', async () => {
    const b = data.retrieval?.batch as FixtureBatch['batch'];
    const view = blipView(itm);
    const twoTexts = b.inputIds.slice([0, 0], [2, -1]);
    const mismatch = await view.run({ pixelValues: b.pixelValues, inputIds: twoTexts }).catch((e: unknown) => e);
    expect(VlpError.isInstance(mismatch, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((mismatch as Error).message).toContain('batch.inputIds must be [3, tokens]');
    const vqaView = blipView(vqa);
    const vb = data.vqa?.batch as FixtureBatch['batch'];
    const badMask = await vqaView.run({ ...vb, decoderInputIds: vb.decoderInputIds as tf.Tensor, decoderAttentionMask: vb.attentionMask }).catch((e: unknown) => e);
    expect((badMask as Error).message).toContain('The mask of batch.decoderInputIds must be [2, 5]');
    const noUnit = await view.run(b, { taps: [{ kind: 'input-sum-squares', unit: 'itm_head.weight', tokens: 'all' }] }).catch((e: unknown) => e);
    expect(VlpError.isInstance(noUnit, 'VLP_INVALID_ARGUMENT')).toBe(true);
    twoTexts.dispose();
  });
});
