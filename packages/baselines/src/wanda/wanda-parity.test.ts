/**
 * Parity with the Wanda references of the clip-tiny fixture (../shared/fixtures/hf/clip-tiny/reference):
 * norms and scores over ALL token positions of one dense forward on the reference inputs (padding
 * included → tokens: 'all', sequential: false), 50 % per-row masks, and the pruned model's outputs.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { prune } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView, loadModel } from '@vlp/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES, readClipInputs, readReferenceArrays, relativeError } from '../__tests__/hf-fixtures.js';
import { collectInputStatistics } from '../common/collect-input-statistics.js';
import { wandaScores } from './score.js';
import { wanda } from './wanda-pruner.js';

const dir = path.join(HF_FIXTURES, 'clip-tiny');
const reference = (name: string) => readReferenceArrays(path.join(dir, `reference/${name}.safetensors`));
const silent = { signal: new AbortController().signal, emit: () => undefined };

describe('wanda on clip-tiny (official reference)', () => {
  let batch: ClipBatch & { attentionMask: tf.Tensor };
  let calibration: { size: number; batches(): AsyncGenerator<ClipBatch> };
  const models: ClipModel[] = [];

  beforeAll(async () => {
    batch = await readClipInputs(path.join(dir, 'reference/inputs.safetensors'));
    calibration = {
      size: 1,
      async *batches() {
        yield batch;
      },
    };
  });
  afterAll(async () => {
    for (const model of models) await model.dispose();
    tf.dispose([batch.pixelValues, batch.inputIds, batch.attentionMask]);
  });

  async function freshView() {
    const model = (await loadModel(dir)) as ClipModel;
    models.push(model);
    return { model, view: clipView(model) };
  }

  it('reproduces ‖X_j‖₂ and |W|·‖X_j‖₂ of every unit within 2e-5', async () => {
    const { view } = await freshView();
    const [norms, scores] = [await reference('wanda_act_norms'), await reference('wanda_scores')];
    const statistics = await collectInputStatistics(view, view.units, calibration, silent, { kind: 'input-sum-squares', tokens: 'all' });
    expect(view.units).toHaveLength(30);
    for (const unit of view.units) {
      const stat = statistics.get(unit.name)!;
      expect(stat.tokens).toBe(unit.modality === 'vision' ? 2 * 17 : 3 * 16);
      expect(relativeError(stat.values.map(Math.sqrt), norms.get(unit.name)!.values), unit.name).toBeLessThan(2e-5);
      const weight = view.weight(unit.name).dataSync() as Float32Array;
      expect(relativeError(wandaScores(weight, stat.values), scores.get(unit.name)!.values), unit.name).toBeLessThan(2e-5);
    }
  });

  it('through prune(): 50 % per-row masks exact on every row with a clear gap, and the pruned outputs within 2e-5', async () => {
    const { model, view } = await freshView();
    const [masks, gaps, outputs] = [await reference('wanda_masks'), await reference('wanda_row_gaps'), await reference('wanda_pruned_outputs')];
    const report = await prune(wanda(), view, { sparsity: 0.5, seed: 0 }, { calibration, config: { tokens: 'all', sequential: false } });
    let exactRows = 0;
    let nearTieRows = 0;
    for (const unit of view.units) {
      const [rows, cols] = unit.shape;
      const got = report.masks.get(unit.name)!;
      const want = masks.get(unit.name)!.values;
      const gap = gaps.get(unit.name)!.values;
      for (let r = 0; r < rows; r++) {
        if (gap[r] < 1e-4) {
          nearTieRows++;
          continue;
        }
        exactRows++;
        expect(Array.from(got.subarray(r * cols, (r + 1) * cols)), `${unit.name} row ${r}`).toEqual(Array.from(want.subarray(r * cols, (r + 1) * cols)));
      }
    }
    expect([exactRows, nearTieRows]).toEqual([2012, 4]);
    expect(report.sparsity.total.sparsity).toBe(0.5);

    const out = await model.forward(batch);
    const got: Record<string, tf.Tensor> = {
      image_embeds: out.imageEmbeds,
      text_embeds: out.textEmbeds,
      logits_per_image: out.logitsPerImage,
      'vision_model.last_hidden_state': out.visionModelOutput.lastHiddenState,
      'vision_model.pooler_output': out.visionModelOutput.poolerOutput,
      'text_model.last_hidden_state': out.textModelOutput.lastHiddenState,
      'text_model.pooler_output': out.textModelOutput.poolerOutput,
    };
    expect(Object.keys(got).sort()).toEqual([...outputs.keys()].sort());
    for (const [name, ref] of outputs) expect(relativeError(got[name].dataSync(), ref.values), name).toBeLessThanOrEqual(2e-5);
    tf.dispose([...Object.values(got), out.logitsPerText]);
  });
});
