/**
 * ECoFLaP on the clip-tiny fixture: parity of stage 1 with the official zeroth-order run
 * (../shared/fixtures/official/ecoflap, README §2: the saved noise z, one batch of 2 pairs, ε 1e-3,
 * s 0.4, s_max 0.5) and the full pipeline at 0.4 / 0.5 (cap 0.5) and 0.5 / 0.6.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type PrunableView, createRng, prune } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView, loadModel } from '@vlp/models';
import { clipTask } from '@vlp/tasks';
import { hashWeights } from '@vlp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIP_TINY, OFFICIAL_ECOFLAP, readArrays, readInputs, readJson, sourceOf } from './__tests__/fixtures.js';
import { allocateOfficial } from './allocate-official.js';
import { coarseAllocation } from './coarse.js';
import { ecoflapConfigSchema, type EcoflapConfigInput } from './ecoflap-config.js';
import { ecoflap } from './ecoflap-pruner.js';

interface ZerothOrderRecord {
  per_tensor: Record<string, { group: string; loss_plus: number; loss_minus: number; projected_grad: number; importance: number }>;
  group_allocation_input: { total_keep: number; group_scores: Record<string, number>; group_num_parameters: Record<string, number> };
  group_sparsity: Record<string, number>;
}

/** `text_model.encoder.layers.1` → `text.1` (the view's block ids). */
const blockIdOf = (group: string) => group.replace(/^(text|vision)_model\.encoder\.layers\./, '$1.');
const silent = { signal: new AbortController().signal, emit: () => undefined };

describe('ecoflap on clip-tiny', () => {
  let record: ZerothOrderRecord;
  let noise: Map<string, Float32Array>;
  let inputs: Record<string, tf.Tensor>;
  let batch: ClipBatch;
  const models: ClipModel[] = [];

  beforeAll(async () => {
    record = readJson<ZerothOrderRecord>('zeroth_order_clip-tiny.json');
    noise = await readArrays(path.join(OFFICIAL_ECOFLAP, 'zo_noise_clip-tiny.safetensors'));
    inputs = await readInputs(path.join(CLIP_TINY, 'reference/inputs.safetensors'));
    batch = {
      pixelValues: inputs.pixel_values.slice(0, 2),
      inputIds: inputs.input_ids.slice(0, 2),
      attentionMask: inputs.attention_mask.slice(0, 2),
    };
  });
  afterAll(async () => {
    for (const model of models) await model.dispose();
    tf.dispose([...Object.values(inputs), ...Object.values(batch)]);
  });

  async function freshView() {
    const model = (await loadModel(CLIP_TINY)) as ClipModel;
    models.push(model);
    return { model, view: clipView(model) as PrunableView<ClipBatch> };
  }

  async function stage1(view: PrunableView<ClipBatch>, model: ClipModel, scores: EcoflapConfigInput['scores']) {
    const config = ecoflapConfigSchema.parse({ maxSparsity: 0.5, allocation: 'official', scores });
    const ctx = { config, calibration: sourceOf(batch), task: clipTask(model), rng: createRng(0), backend: tf.getBackend(), ...silent };
    return coarseAllocation(view, view.units, { sparsity: 0.4, seed: 0 }, ctx, { noise: (unit) => noise.get(unit.name)! });
  }

  for (const [label, scores] of [
    ['the contrastive logits on the onnx engine', { kind: 'zeroth-order', loss: 'contrastive-logits', engine: 'onnx' }],
    ['the clip task loss', { kind: 'zeroth-order', loss: 'task', engine: 'tfjs' }],
  ] as const) {
    it(`reproduces the official projected gradients (abs 2e-3) and group sparsities from the saved noise, with ${label}`, async () => {
      const { model, view } = await freshView();
      const before = hashWeights(view);
      const result = await stage1(view, model, scores);
      expect(hashWeights(view)).toEqual(before); // stage 1 never writes the weights
      let worst = 0;
      for (const unit of view.units) {
        const official = record.per_tensor[unit.name];
        const [draw] = result.zerothOrder!.get(unit.name)!.draws;
        expect(Math.abs(draw.lossPlus - official.loss_plus), unit.name).toBeLessThan(1e-5);
        expect(Math.abs(draw.lossMinus - official.loss_minus), unit.name).toBeLessThan(1e-5);
        worst = Math.max(worst, Math.abs(draw.projectedGradient - official.projected_grad));
      }
      expect(worst).toBeLessThan(2e-3);
      // The official group order is named_parameters' (text before vision); the float32 allocation depends on it.
      const { total_keep, group_scores, group_num_parameters } = record.group_allocation_input;
      const names = Object.keys(group_scores);
      const ours = names.map((n) => result.scores[result.groups.findIndex((g) => g.name === blockIdOf(n))]);
      names.forEach((n, i) => expect(Math.abs(ours[i] - group_scores[n]) / group_scores[n], n).toBeLessThan(1e-3));
      const allocation = allocateOfficial(ours, names.map((n) => group_num_parameters[n]), total_keep, 0.5);
      // ceil(score/Σ·rest) turns the ~1e-4 relative score noise of a float32 forward into ±1–2 weights
      // (README §2: exact equality only from the golden group_allocation_input, tested below).
      names.forEach((n, i) => {
        const size = group_num_parameters[n];
        expect(Math.abs((allocation.sparsity[i] - record.group_sparsity[n]) * size), n).toBeLessThanOrEqual(2 + 1e-6);
      });
    });
  }

  it('allocates the official group_allocation_input to the official group sparsities exactly', () => {
    const { total_keep, group_scores, group_num_parameters } = record.group_allocation_input;
    const names = Object.keys(group_scores);
    const got = allocateOfficial(names.map((n) => group_scores[n]), names.map((n) => group_num_parameters[n]), total_keep, 0.5);
    expect(got.sparsity).toEqual(names.map((n) => record.group_sparsity[n]));
    expect(got.keep.reduce((a, b) => a + b, 0)).toBe(81104); // budget 81100 + 2 × 2 (the `+=` fix-up)
  });

  it('measures stage-1 peak tfjs memory inside the passes: first-order (backprop) above zeroth-order (forwards)', async () => {
    const peaks: Record<string, number> = {};
    for (const kind of ['zeroth-order', 'first-order'] as const) {
      const { model, view } = await freshView();
      const before = tf.memory().numBytes;
      const report = await prune(ecoflap({ maxSparsity: 0.5, scores: { kind, samples: 2 } }), view, { sparsity: 0.4, seed: 0 }, { calibration: sourceOf(batch), task: clipTask(model), apply: false });
      peaks[kind] = report.metrics.stage1PeakTensorBytes!;
      // a forward's activations are alive only inside the pass: above what is held between passes
      expect(peaks[kind]).toBeGreaterThan(before);
    }
    // the backward keeps every activation and a gradient per unit: clearly more than one forward
    expect(peaks['first-order']! - peaks['zeroth-order']!).toBeGreaterThan(100_000);
  });

  for (const [sparsity, maxSparsity] of [
    [0.4, 0.5],
    [0.5, 0.6],
  ] as const) {
    it(`prunes ${sparsity} with maxSparsity ${maxSparsity}: non-uniform blocks under the cap, total exact`, async () => {
      const { model, view } = await freshView();
      const report = await prune(ecoflap({ maxSparsity }), view, { sparsity, seed: 0 }, { calibration: sourceOf(batch), task: clipTask(model), apply: false });
      const blocks = Object.values(report.sparsity.perBlock).map((b) => b.sparsity);
      expect(Math.max(...blocks) - Math.min(...blocks)).toBeGreaterThan(0.01);
      for (const s of blocks) expect(s).toBeLessThanOrEqual(maxSparsity + 1e-9);
      const { numel, pruned } = report.sparsity.total;
      expect(Math.abs(pruned - sparsity * numel)).toBeLessThanOrEqual(view.units.length);
      expect(pruned).toBe(Math.floor(sparsity * numel));
      for (const u of report.sparsity.perUnit) expect(Math.abs(u.pruned - u.target! * u.numel)).toBeLessThanOrEqual(1 + 1e-6);
      expect(report.timings).toMatchObject({ stage1: expect.any(Number), stage2: expect.any(Number) });
    });
  }
});
