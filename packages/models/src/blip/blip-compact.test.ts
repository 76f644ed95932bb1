import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend, type Structure, VlpError } from '@vlp/core';
import { BLIP_MAIN_OUTPUT, type FixtureBatch, fixtureBatch, loadBlipFixture } from '../testing/blip-fixtures.js';
import { relativeError } from '../testing/fixtures.js';
import { gatesForMask } from '../view/structure-plan.js';
import { compactBlip } from './blip-compact.js';
import { describeBlipItc } from './blip-retrieval-describe.js';
import { blipView } from './blip-view.js';
import type { BlipModel } from './load-blip.js';

type Task = 'retrieval' | 'captioning' | 'vqa';

/** A seeded random selection: 20–70 % of each gate group (never all of it), plus `layers`. */
function randomRemoval(structures: readonly Structure[], seed: number, layers: readonly string[]): string[] {
  const rng = createRng(seed);
  const byGroup = new Map<string, Structure[]>();
  for (const s of structures) if (s.kind !== 'layer') byGroup.set(s.gate.group, [...(byGroup.get(s.gate.group) ?? []), s]);
  const removed: string[] = [];
  for (const group of byGroup.values()) {
    const order = rng.permutation(group.length);
    const count = Math.floor(group.length * (0.2 + 0.5 * rng.nextFloat()));
    for (let i = 0; i < Math.min(count, group.length - 1); i++) removed.push((group[order[i] as number] as Structure).id);
  }
  return [...removed, ...layers];
}

/** The outputs compared per class. */
const COMPARED: Record<Task, string[]> = {
  retrieval: ['itm_score', 'question_embeds', 'vision_model.last_hidden_state', 'vision_model.pooler_output'],
  captioning: ['logits', 'vision_model.last_hidden_state'],
  vqa: ['answer_logits', 'question_embeds', 'vision_model.last_hidden_state'],
};

describe('compactBlip', () => {
  const models = {} as Record<Task, BlipModel>;
  const data = {} as Record<Task, FixtureBatch>;

  beforeAll(async () => {
    await initBackend();
    for (const task of ['retrieval', 'captioning', 'vqa'] as const) {
      models[task] = await loadBlipFixture(task);
      data[task] = await fixtureBatch(task);
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(models).map((m) => m.dispose()));
    tf.dispose(Object.values(data).flatMap((d) => [...d.inputs.values()]));
  });

  const cases: [Task, number, string[]][] = [
    ['retrieval', 1, []],
    ['retrieval', 2, ['vision.1.layer', 'text.0.layer']],
    ['captioning', 3, []],
    ['captioning', 4, ['decoder.1.layer', 'vision.0.layer']],
    ['vqa', 5, []],
    ['vqa', 6, ['text.1.layer', 'decoder.0.layer', 'vision.0.layer']],
  ];
  for (const [task, seed, layers] of cases) {
    it(`${task}: outputs equal the gated model's within 1e-5 on both engines (seed ${seed}, layers removed: ${layers.join(', ') || 'none'})`, async () => {
      const model = models[task];
      const view = blipView(model);
      const removed = randomRemoval(view.structures, seed, layers);
      expect(removed.some((id) => id.includes('.cross.'))).toBe(true);
      const gates = Object.fromEntries([...gatesForMask(view.structures, { removed })].map(([g, v]) => [g, tf.tensor1d(v)]));
      const compact = compactBlip(model, { removed });
      expect(compact.task).toBe(task);
      expect(compact.constructor).toBe(model.constructor);
      const compactView = blipView(compact);
      expect(compactView.units.length).toBe(view.units.length - layers.reduce((n, l) => n + (l.startsWith('vision') ? 4 : 10), 0));
      expect(compact.params.size()).toBeLessThan(model.params.size());
      const { batch } = data[task];
      const b = batch as Parameters<typeof compactView.run>[0];
      for (const engine of ['onnx', 'tfjs'] as const) {
        const gated = await view.run(b, { gates: gates as Record<string, tf.Tensor1D>, engine });
        const small = await compactView.run(b, { engine });
        for (const name of COMPARED[task]) {
          expect(relativeError(small.outputs[name] as tf.Tensor, gated.outputs[name] as tf.Tensor), `${engine}: ${name}`).toBeLessThanOrEqual(1e-5);
        }
        // The structures removed matter: the gated model differs from the dense one.
        const dense = await view.run(b, { engine });
        const main = BLIP_MAIN_OUTPUT[task];
        expect(relativeError(dense.outputs[main] as tf.Tensor, gated.outputs[main] as tf.Tensor)).toBeGreaterThan(1e-3);
        [gated, small, dense].forEach((r) => r.dispose());
      }
      if (compact.task === 'retrieval') {
        // ITC (text encoder without cross-attention, projections): gated run vs the compacted model's forward.
        const itc = (m: BlipModel, engine: 'onnx' | 'tfjs', withGates: boolean) =>
          m.runner.run({
            key: `test:itc:${m === model}:${withGates}`,
            describe: (ctx) => describeBlipItc(ctx, m.config, m.arch, 13),
            options: { gates: new Set(withGates ? Object.keys(gates) : []) },
            feeds: { pixel_values: batch.pixelValues, input_ids: batch.inputIds, attention_mask: batch.attentionMask as tf.Tensor },
            gates: withGates ? gates : {},
            engine,
          });
        for (const engine of ['onnx', 'tfjs'] as const) {
          const gated = await itc(model, engine, true);
          const out = await compact.forward({ pixelValues: batch.pixelValues, inputIds: batch.inputIds, attentionMask: batch.attentionMask, useItmHead: false, engine });
          expect(relativeError(out.itmScore, gated.outputs.itm_score as tf.Tensor), `${engine}: itc_scores`).toBeLessThanOrEqual(1e-5);
          expect(relativeError(out.textFeat as tf.Tensor, gated.outputs.text_feat as tf.Tensor), `${engine}: text_feat`).toBeLessThanOrEqual(1e-5);
          expect(relativeError(out.imageFeat as tf.Tensor, gated.outputs.image_feat as tf.Tensor), `${engine}: image_feat`).toBeLessThanOrEqual(1e-5);
          tf.dispose([...Object.values(gated.outputs), out.itmScore, out.imageEmbeds, out.questionEmbeds, out.imageFeat as tf.Tensor, out.textFeat as tf.Tensor]);
          tf.dispose([out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput]);
        }
      }
      tf.dispose(Object.values(gates));
      await compact.dispose();
    });
  }

  it('slices the fused qkv by q, k and v blocks and keeps the original q scale', () => {
    const model = models.vqa;
    const compact = compactBlip(model, { removed: ['vision.0.attn.head.1', 'vision.0.attn.channel.2', 'text.1.cross.head.3', 'decoder.0.cross.channel.0'] });
    expect(compact.arch.vision.layers[0]?.attention).toEqual({ heads: 3, headDim: 15, scale: 0.25 });
    expect(compact.arch.vision.layers[1]).toEqual(model.arch.vision.layers[1]);
    expect(compact.arch.textEncoder?.layers[1]?.cross).toEqual({ heads: 3, headDim: 16, scale: 0.25 });
    expect(compact.arch.textEncoder?.layers[1]?.attention).toEqual({ heads: 4, headDim: 16, scale: 0.25 });
    expect(compact.arch.textDecoder?.layers[0]?.cross).toEqual({ heads: 4, headDim: 15, scale: 0.25 });
    const rows: number[] = [];
    for (const block of [0, 1, 2]) for (const h of [0, 2, 3]) for (let c = 0; c < 16; c++) if (c !== 2) rows.push(block * 64 + h * 16 + c);
    const qkv = 'vision_model.encoder.layers.0.self_attn.qkv';
    const [w, b] = [model.params.get(`${qkv}.weight`).data, model.params.get(`${qkv}.bias`).data];
    expect(compact.params.get(`${qkv}.weight`).shape).toEqual([135, 64]);
    expect(compact.params.get(`${qkv}.weight`).data).toEqual(Float32Array.from(rows.flatMap((r) => Array.from(w.subarray(r * 64, (r + 1) * 64)))));
    expect(compact.params.get(`${qkv}.bias`).data).toEqual(Float32Array.from(rows.map((r) => b[r] as number)));
    const proj = model.params.get('vision_model.encoder.layers.0.self_attn.projection.weight').data;
    const kept = rows.slice(0, 45);
    expect(compact.params.get('vision_model.encoder.layers.0.self_attn.projection.weight').data).toEqual(
      Float32Array.from(Array.from({ length: 64 }, (_, o) => kept.map((c) => proj[o * 64 + c] as number)).flat()),
    );
    expect(compact.params.get('text_encoder.encoder.layer.1.crossattention.self.key.weight').shape).toEqual([48, 64]);
    expect(compact.params.get('text_encoder.encoder.layer.1.crossattention.output.dense.weight').shape).toEqual([64, 48]);
    expect(model.params.get(`${qkv}.weight`).shape).toEqual([192, 64]); // the source model is unchanged
    void compact.dispose();
  });

  it('refuses to empty a module and names the layer structure to remove instead', () => {
    const heads = blipView(models.retrieval).structures.filter((s) => s.gate.group === 'text.0.cross.heads').map((s) => s.id);
    let error: unknown;
    try {
      compactBlip(models.retrieval, { removed: heads });
    } catch (e) {
      error = e;
    }
    expect(VlpError.isInstance(error, 'VLP_NOT_SUPPORTED')).toBe(true);
    expect((error as Error).message).toContain('empty cross-attention');
    expect((error as Error).message).toContain('"text.0.layer"');
  });

  it('rejects structure ids the class does not have', () => {
    expect(() => compactBlip(models.captioning, { removed: ['text.0.attn.head.0'] })).toThrowError(/does not exist/);
  });
});
