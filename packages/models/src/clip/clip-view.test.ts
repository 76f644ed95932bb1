import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TapSpec, initBackend, pruneLowestPerRow, VlpError } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference, relativeError } from '../testing/fixtures.js';
import type { ClipModel } from './clip-model.js';
import { type ClipBatch, clipView } from './clip-view.js';

const dir = path.join(HF_FIXTURES, 'clip-tiny');

describe('the CLIP prunable view', () => {
  let model: ClipModel;
  let batch: ClipBatch;
  let inputs: Map<string, tf.Tensor>;
  let refs: Record<string, Map<string, tf.Tensor>>;

  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(dir)) as ClipModel;
    inputs = await readReference(path.join(dir, 'reference/inputs.safetensors'));
    batch = { pixelValues: inputs.get('pixel_values') as tf.Tensor, inputIds: inputs.get('input_ids') as tf.Tensor, attentionMask: inputs.get('attention_mask') as tf.Tensor };
    refs = {};
    for (const name of ['wanda_act_norms', 'wanda_scores', 'wanda_masks', 'wanda_row_gaps', 'wanda_pruned_outputs']) {
      refs[name] = await readReference(path.join(dir, `reference/${name}.safetensors`));
    }
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values(), ...Object.values(refs).flatMap((m) => [...m.values()])]);
  });

  it('lists q, k, v, out, fc1, fc2 of every layer with modality, block and [out, in] shape', () => {
    const view = clipView(model);
    expect(view.units).toHaveLength(6 * (3 + 2));
    expect(view.units[0]).toEqual({
      name: 'vision_model.encoder.layers.0.self_attn.q_proj.weight',
      modality: 'vision',
      blockId: 'vision.0',
      block: 0,
      role: 'attn.q',
      shape: [64, 64],
    });
    const fc2 = view.units.find((u) => u.name === 'text_model.encoder.layers.1.mlp.fc2.weight');
    expect(fc2).toMatchObject({ modality: 'text', blockId: 'text.1', role: 'mlp.fc2', shape: [48, 96] });
    // heads + head channels + neurons + the layer, per layer
    const perLayer = (heads: number, d: number, mlp: number) => heads + d + mlp + 1;
    expect(view.structures).toHaveLength(3 * perLayer(4, 16, 128) + 2 * perLayer(4, 12, 96));
    const head = view.structures.find((s) => s.id === 'vision.1.attn.head.2');
    expect(head?.slices.map((s) => [s.unit.split('.').slice(-2).join('.'), s.axis, s.indices[0], s.indices.length])).toEqual([
      ['q_proj.weight', 'out', 32, 16],
      ['k_proj.weight', 'out', 32, 16],
      ['v_proj.weight', 'out', 32, 16],
      ['out_proj.weight', 'in', 32, 16],
    ]);
    const channel = view.structures.find((s) => s.id === 'text.0.attn.channel.3');
    expect(channel?.slices[0]?.indices).toEqual([3, 15, 27, 39]);
  });

  for (const engine of ['onnx', 'tfjs'] as const) {
    it(`reproduces the Wanda references through its taps on the ${engine} engine`, async () => {
      const view = clipView(model);
      const encoderUnits = view.units;
      const taps: TapSpec[] = encoderUnits.map((u) => ({ kind: 'input-sum-squares', unit: u.name, tokens: 'all' }));
      const result = await view.run(batch, { taps, engine });
      let exactRows = 0;
      for (const [i, unit] of encoderUnits.entries()) {
        const tap = result.taps[i];
        expect(tap?.tokens).toBe(unit.modality === 'vision' ? 2 * 17 : 3 * 16);
        const norms = tf.sqrt(tap?.value as tf.Tensor);
        expect(relativeError(norms, refs.wanda_act_norms?.get(unit.name) as tf.Tensor), unit.name).toBeLessThan(2e-5);
        const scores = tf.mul(tf.abs(view.weight(unit.name)), norms.reshape([1, -1]));
        expect(relativeError(scores, refs.wanda_scores?.get(unit.name) as tf.Tensor), unit.name).toBeLessThan(2e-5);
        const [rows, cols] = unit.shape;
        const mask = pruneLowestPerRow(scores.dataSync() as Float32Array, [rows, cols], Math.floor(cols * 0.5));
        const refMask = refs.wanda_masks?.get(unit.name)?.dataSync() as Int32Array;
        const gaps = refs.wanda_row_gaps?.get(unit.name)?.dataSync() as Float32Array;
        for (let r = 0; r < rows; r++) {
          if ((gaps[r] as number) < 1e-4) continue;
          exactRows += 1;
          expect(Array.from(mask.subarray(r * cols, (r + 1) * cols)), `${unit.name} row ${r}`).toEqual(Array.from(refMask.subarray(r * cols, (r + 1) * cols)));
        }
        tf.dispose([norms, scores]);
      }
      expect(exactRows).toBe(2012);
      result.dispose();
    });
  }

  it('masked with the Wanda masks, reproduces wanda_pruned_outputs on both engines', async () => {
    const masked = (await loadModel(dir)) as ClipModel;
    const view = clipView(masked);
    const masks = new Map<string, Uint8Array>();
    for (const [name, t] of refs.wanda_masks as Map<string, tf.Tensor>) masks.set(name, Uint8Array.from(t.dataSync()));
    view.applyMasks(masks);
    for (const engine of ['onnx', 'tfjs'] as const) {
      const out = await masked.forward({ ...batch, engine });
      const got: Record<string, tf.Tensor> = {
        image_embeds: out.imageEmbeds,
        text_embeds: out.textEmbeds,
        logits_per_image: out.logitsPerImage,
        'vision_model.last_hidden_state': out.visionModelOutput.lastHiddenState,
        'vision_model.pooler_output': out.visionModelOutput.poolerOutput,
        'text_model.last_hidden_state': out.textModelOutput.lastHiddenState,
        'text_model.pooler_output': out.textModelOutput.poolerOutput,
      };
      for (const [name, ref] of refs.wanda_pruned_outputs as Map<string, tf.Tensor>) {
        expect(relativeError(got[name] as tf.Tensor, ref), `${engine}: ${name}`).toBeLessThanOrEqual(2e-5);
      }
      tf.dispose([...Object.values(got), out.logitsPerText]);
    }
    await masked.dispose();
  });

  it('valid-token taps drop padding (text only) and count the valid tokens', async () => {
    const view = clipView(model);
    const unitText = 'text_model.encoder.layers.0.mlp.fc1.weight';
    const unitVision = 'vision_model.encoder.layers.0.mlp.fc1.weight';
    const taps: TapSpec[] = [
      { kind: 'input-sum-squares', unit: unitText, tokens: 'all' },
      { kind: 'input-sum-squares', unit: unitText, tokens: 'valid' },
      { kind: 'input-sum-squares', unit: unitVision, tokens: 'all' },
      { kind: 'input-sum-squares', unit: unitVision, tokens: 'valid' },
    ];
    for (const engine of ['onnx', 'tfjs'] as const) {
      const r = await view.run(batch, { taps, engine });
      expect(r.taps.map((t) => t.tokens)).toEqual([48, 7 + 12 + 16, 34, 34]);
      const [all, valid, vAll, vValid] = r.taps.map((t) => t.value.dataSync());
      expect(Array.from(vValid as Float32Array)).toEqual(Array.from(vAll as Float32Array));
      let strictlyLess = 0;
      for (let j = 0; j < (all as Float32Array).length; j++) {
        expect((valid as Float32Array)[j]).toBeLessThanOrEqual(((all as Float32Array)[j] as number) + 1e-4);
        if (((valid as Float32Array)[j] as number) < ((all as Float32Array)[j] as number) - 1e-3) strictlyLess += 1;
      }
      expect(strictlyLess).toBeGreaterThan(0);
      r.dispose();
    }
  });

  it('gates and weight overrides change only the run, never the stored weights', async () => {
    const view = clipView(model);
    const head = view.structures.find((s) => s.id === 'vision.1.attn.head.2');
    const gate = tf.tensor1d([1, 1, 0, 1]);
    const weights: Record<string, tf.Tensor2D> = {};
    for (const slice of head?.slices ?? []) {
      const w = view.weight(slice.unit).arraySync();
      for (const i of slice.indices) {
        if (slice.axis === 'out') w[i] = w[i]?.map(() => 0) as number[];
        else for (const row of w) row[i] = 0;
      }
      weights[slice.unit] = tf.tensor2d(w);
    }
    // (Gate 0 also removes the head's q/k/v biases, so it is compared with compaction in compact.test.ts;
    // here: both change the outputs, an all-ones gate does not, and neither touches the stored weights.)
    const before = view.weight('vision_model.encoder.layers.1.self_attn.q_proj.weight').dataSync().slice();
    for (const engine of ['onnx', 'tfjs'] as const) {
      const gated = await view.run(batch, { gates: { 'vision.1.attn.heads': gate }, engine });
      const overridden = await view.run(batch, { weights, engine });
      const plain = await view.run(batch, { engine });
      expect(relativeError(gated.outputs.image_embeds as tf.Tensor, plain.outputs.image_embeds as tf.Tensor)).toBeGreaterThan(1e-4);
      expect(relativeError(overridden.outputs.image_embeds as tf.Tensor, plain.outputs.image_embeds as tf.Tensor)).toBeGreaterThan(1e-4);
      const allOnes = await view.run(batch, { gates: { 'vision.1.attn.heads': tf.ones([4]) as tf.Tensor1D }, engine });
      expect(relativeError(allOnes.outputs.image_embeds as tf.Tensor, plain.outputs.image_embeds as tf.Tensor)).toBeLessThan(1e-6);
      [gated, overridden, plain, allOnes].forEach((r) => r.dispose());
    }
    expect(Array.from(view.weight('vision_model.encoder.layers.1.self_attn.q_proj.weight').dataSync())).toEqual(Array.from(before));
    tf.dispose([gate, ...Object.values(weights)]);
  });

  it('rejects taps and overrides that name no unit, or overrides of the wrong shape', async () => {
    const view = clipView(model);
    const bad = await view.run(batch, { taps: [{ kind: 'input-sum-squares', unit: 'nope.weight', tokens: 'all' }] }).catch((e: unknown) => e);
    expect(VlpError.isInstance(bad, 'VLP_INVALID_ARGUMENT')).toBe(true);
    const w = tf.zeros([3, 3]) as tf.Tensor2D;
    const shape = await view.run(batch, { weights: { 'vision_model.encoder.layers.0.mlp.fc1.weight': w } }).catch((e: unknown) => e);
    expect(VlpError.isInstance(shape, 'VLP_SHAPE_MISMATCH')).toBe(true);
    w.dispose();
  });
});
