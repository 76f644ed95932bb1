/**
 * Parity with the official MULTIFLOW code run on the clip-tiny fixture
 * (../shared/fixtures/official/multiflow/clip-tiny, README §1): one calibration batch = the fixture's
 * reference inputs (2 images, 3 texts padded to 16, 35 valid tokens), prunable = the 30 encoder
 * linears, modalities vision / text, sparsities 63 / 75 / 90 %.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type Engine, prune } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView, loadModel } from '@vlp/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES, OFFICIAL_CLIP_TINY, type OfficialRecord, oneBatch, readArrays, readInputs, readOfficialRecord, relativeError } from './__tests__/fixtures.js';
import { multimodalPrior } from './allocate.js';
import { collectActivationStatistics } from './calibrate.js';
import { informationFlowMask } from './mask.js';
import { multiflow } from './multiflow-pruner.js';
import { informationFlowScores } from './score.js';

const CLIP_TINY = path.join(HF_FIXTURES, 'clip-tiny');
const SPARSITIES = ['63', '75', '90'] as const;
const ENGINES: readonly Engine[] = ['onnx', 'tfjs'];
const silent = { signal: new AbortController().signal, emit: () => undefined };
const official = (name: string) => readArrays(path.join(OFFICIAL_CLIP_TINY, `${name}.safetensors`));
/** Near-ties: tensors whose two scores around the official threshold differ by < 1e-4 relative (README §1). */
const NEAR_TIE = 1e-4;

describe('multiflow on clip-tiny (official implementation)', () => {
  let record: OfficialRecord;
  let inputs: Record<string, tf.Tensor>;
  let batch: ClipBatch;
  const models: ClipModel[] = [];

  beforeAll(async () => {
    record = readOfficialRecord();
    inputs = await readInputs(path.join(CLIP_TINY, 'reference/inputs.safetensors'));
    batch = { pixelValues: inputs.pixel_values, inputIds: inputs.input_ids, attentionMask: inputs.attention_mask };
  });
  afterAll(async () => {
    for (const model of models) await model.dispose();
    tf.dispose(Object.values(inputs));
  });

  async function freshView() {
    const model = (await loadModel(CLIP_TINY)) as ClipModel;
    models.push(model);
    return { model, view: clipView(model) };
  }

  it('prunes the 30 encoder linears the official run pruned, with the same modalities and shapes', async () => {
    const { view } = await freshView();
    expect(view.units.map((u) => u.name).sort()).toEqual([...record.prunable_tensors_in_order].sort());
    for (const unit of view.units) {
      expect([unit.modality, unit.shape], unit.name).toEqual([record.layers[unit.name].modality, record.layers[unit.name].shape]);
    }
  });

  for (const engine of ENGINES) {
    it(`reproduces the statistic a and the scores S of every unit within 1e-5 on the ${engine} engine`, async () => {
      const { view } = await freshView();
      const [actSqMean, scores] = [await official('act_sq_mean'), await official('scores')];
      const collected = await collectActivationStatistics(view, view.units, oneBatch(batch), silent, { numBatches: 1, engine });
      expect(collected.engine).toBe(engine);
      for (const unit of view.units) {
        const stat = collected.statistics.get(unit.name)!;
        const { rows_seen_per_tensor: rows, nsamples_per_tensor: seqs } = record.calibration;
        expect([stat.tokens, stat.sequences], unit.name).toEqual([rows[unit.modality as 'vision' | 'text'], seqs[unit.modality as 'vision' | 'text'][0]]);
        expect(relativeError(stat.actSqMean, actSqMean.get(unit.name)!.values), `a of ${unit.name}`).toBeLessThan(1e-5);
        const s = informationFlowScores(view.weight(unit.name).dataSync() as Float32Array, stat.actSqMean, unit.shape);
        expect(relativeError(s, scores.get(unit.name)!.values), `S of ${unit.name}`).toBeLessThan(1e-5);
      }
    });
  }

  it('reproduces the official distribution, k, thresholds and magnitude-stage counts exactly (rounding: official)', async () => {
    const { view } = await freshView();
    const units = view.units.map((u) => ({ name: u.name, group: u.modality, weight: view.weight(u.name).dataSync() as Float32Array }));
    for (const s of SPARSITIES) {
      const want = record.sparsities[s];
      const prior = multimodalPrior(units, want.target_sparsity, 'official');
      for (const [group, g] of Object.entries(want.modalities)) {
        expect(prior.groups.get(group), `${s} ${group}`).toEqual({ numel: g.numel, k: g.k, threshold: g.tau_abs_weight, magnitudePruned: g.magnitude_stage_pruned });
      }
      for (const unit of view.units) {
        const layer = want.layers[unit.name];
        const got = prior.units.get(unit.name)!;
        expect([got.sparsity, got.k, got.magnitudePruned], `${s} ${unit.name}`).toEqual([layer.distribution, layer.k, layer.magnitude_stage_pruned]);
      }
      // vlp's default keeps the magnitude-stage count as k (no float round trip).
      const exact = multimodalPrior(units, want.target_sparsity, 'exact');
      for (const unit of view.units) expect(exact.units.get(unit.name)!.k).toBe(want.layers[unit.name].magnitude_stage_pruned);
    }
  });

  it('gives the official masks everywhere from the official statistic (rounding: official)', async () => {
    const { view } = await freshView();
    const actSqMean = await official('act_sq_mean');
    const units = view.units.map((u) => ({ name: u.name, group: u.modality, weight: view.weight(u.name).dataSync() as Float32Array }));
    for (const s of SPARSITIES) {
      const masks = await official(`masks_s${s}`);
      const prior = multimodalPrior(units, record.sparsities[s].target_sparsity, 'official');
      for (const unit of view.units) {
        const scores = informationFlowScores(units.find((u) => u.name === unit.name)!.weight, actSqMean.get(unit.name)!.values, unit.shape);
        const mask = informationFlowMask(scores, prior.units.get(unit.name)!.k, 'official');
        expect(Array.from(mask), `${s} ${unit.name}`).toEqual(Array.from(masks.get(unit.name)!.values));
      }
    }
  });

  for (const engine of ENGINES) {
    it(`through prune() on the ${engine} engine: official masks except near-ties, official counts, pruned outputs within 2e-5`, async () => {
      for (const s of SPARSITIES) {
        const want = record.sparsities[s];
        const { model, view } = await freshView();
        const masks = await official(`masks_s${s}`);
        const outputs = await official(`pruned_outputs_s${s}`);
        const report = await prune(multiflow({ rounding: 'official', numBatches: 1, engine }), view, { sparsity: want.target_sparsity, seed: 0 }, { calibration: oneBatch(batch) });
        expect(report.notes[0]).toBe(`calibration: 1 batch(es) on the ${engine} engine`);
        let nearTies = 0;
        for (const unit of view.units) {
          const got = report.masks.get(unit.name)!;
          const ref = masks.get(unit.name)!.values;
          const differing = got.reduce((n, v, i) => n + (v !== ref[i] ? 1 : 0), 0);
          if (want.layers[unit.name].rel_gap_at_threshold >= NEAR_TIE) expect(differing, `${s} ${unit.name}`).toBe(0);
          else {
            nearTies++;
            expect(differing, `${s} ${unit.name} (near-tie: at most the two entries at the threshold swap)`).toBeLessThanOrEqual(2);
          }
          expect(got.length - got.reduce((n, v) => n + v, 0), `${s} ${unit.name} pruned`).toBe(want.layers[unit.name].pruned);
        }
        expect(nearTies).toBe({ 63: 7, 75: 4, 90: 2 }[s]);
        for (const modality of ['vision', 'text'] as const) expect(report.sparsity.perModality[modality]!.pruned).toBe(want.modalities[modality].final_pruned);
        const out = await model.forward({ ...batch, engine });
        const got = { image_embeds: out.imageEmbeds, text_embeds: out.textEmbeds, logits_per_image: out.logitsPerImage };
        for (const [name, ref] of outputs) expect(relativeError(got[name as keyof typeof got].dataSync(), ref.values), `${s} ${name}`).toBeLessThanOrEqual(2e-5);
        tf.dispose([out.imageEmbeds, out.textEmbeds, out.logitsPerImage, out.logitsPerText, out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput, out.textModelOutput.lastHiddenState, out.textModelOutput.poolerOutput]);
      }
    });
  }

  it('with the default exact rounding prunes exactly ⌊s·N_m⌋ per modality and differs from the official masks only by the lost weights and near-ties', async () => {
    const { view } = await freshView();
    const masks = await official('masks_s75');
    const want = record.sparsities['75'];
    const report = await prune(multiflow({ numBatches: 1 }), view, { sparsity: 0.75, seed: 0 }, { apply: false, calibration: oneBatch(batch) });
    expect(report.sparsity.perModality.text!.pruned).toBe(27648); // the official run: 27646
    expect(report.sparsity.perModality.vision!.pruned).toBe(73728);
    for (const unit of view.units) {
      const layer = want.layers[unit.name];
      const got = report.masks.get(unit.name)!;
      const ref = masks.get(unit.name)!.values;
      const extra = layer.magnitude_stage_pruned - layer.k; // weights the official int() lost
      const differing = got.reduce((n, v, i) => n + (v !== ref[i] ? 1 : 0), 0);
      expect(differing, unit.name).toBeLessThanOrEqual(extra + (layer.rel_gap_at_threshold < NEAR_TIE ? 2 : 0));
    }
  });
});
