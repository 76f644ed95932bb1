/**
 * MULTIFLOW on the three tiny BLIP classes (../shared/fixtures/hf/blip-*-tiny, their reference inputs
 * as the one calibration batch). There are no official numbers for these checkpoints, so the tests
 * check invariants: the realised sparsity of every prior group, the fusion → text mapping,
 * determinism, engine agreement and the rows/sequences each unit's statistic counts.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type Modality, prune } from '@vlp/core';
import { type BlipModel, type BlipViewBatch, blipView, loadModel } from '@vlp/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES, oneBatch, readInputs, relativeError } from './__tests__/fixtures.js';
import { collectActivationStatistics } from './calibrate.js';
import { multiflow } from './multiflow-pruner.js';

const FIXTURES = { retrieval: 'blip-itm-tiny', captioning: 'blip-caption-tiny', vqa: 'blip-vqa-tiny' } as const;
const SPARSITY = 0.75;
const IMAGE_TOKENS = 17; // 32×32 px, patch 8 → 16 patches + CLS
const silent = { signal: new AbortController().signal, emit: () => undefined };

type Task = keyof typeof FIXTURES;

describe.each(Object.keys(FIXTURES) as Task[])('multiflow on the tiny BLIP %s class', (task) => {
  const dir = path.join(HF_FIXTURES, FIXTURES[task]);
  let inputs: Record<string, tf.Tensor>;
  let batch: BlipViewBatch;
  const models: BlipModel[] = [];

  beforeAll(async () => {
    inputs = await readInputs(path.join(dir, 'reference/inputs.safetensors'));
    batch = {
      pixelValues: inputs.pixel_values,
      inputIds: inputs.input_ids,
      attentionMask: inputs.attention_mask,
      ...(task === 'vqa' ? { decoderInputIds: inputs.decoder_input_ids, decoderAttentionMask: inputs.decoder_attention_mask } : {}),
    };
  });
  afterAll(async () => {
    for (const model of models) await model.dispose();
    tf.dispose(Object.values(inputs));
  });

  async function freshModel(): Promise<BlipModel> {
    const model = (await loadModel(dir)) as BlipModel;
    models.push(model);
    return model;
  }

  it('ends every prior group at ⌊s·N⌋ with fusion counted as text, identically on a view that already labels it text', async () => {
    const view = blipView(await freshModel());
    const numel = (m: Modality) => view.units.filter((u) => u.modality === m).reduce((n, u) => n + u.shape[0] * u.shape[1], 0);
    expect(numel('fusion')).toBeGreaterThan(0);
    const report = await prune(multiflow({ numBatches: 1 }), view, { sparsity: SPARSITY, seed: 0 }, { apply: false, calibration: oneBatch(batch) });
    const pruned = (m: Modality) => report.sparsity.perModality[m]!.pruned;
    expect(pruned('vision')).toBe(Math.floor(SPARSITY * numel('vision')));
    expect(pruned('text') + pruned('fusion')).toBe(Math.floor(SPARSITY * (numel('text') + numel('fusion'))));
    expect(report.notes).toEqual(['calibration: 1 batch(es) on the onnx engine', 'multimodal prior over 2 group(s) (vision, text), rounding: exact']);

    const textView = blipView(await freshModel(), { fusionAs: 'text' });
    expect(textView.units.some((u) => u.modality === 'fusion')).toBe(false);
    const again = await prune(multiflow({ numBatches: 1 }), textView, { sparsity: SPARSITY, seed: 0 }, { apply: false, calibration: oneBatch(batch) });
    expect(again.masks).toEqual(report.masks); // same groups, same model: byte-identical (also: deterministic)

    const separate = await prune(multiflow({ numBatches: 1, fusionAs: 'fusion' }), view, { sparsity: SPARSITY, seed: 0 }, { apply: false, calibration: oneBatch(batch) });
    for (const m of ['vision', 'text', 'fusion'] as const) expect(separate.sparsity.perModality[m]!.pruned, m).toBe(Math.floor(SPARSITY * numel(m)));
    expect(separate.masks.get(view.units.find((u) => u.modality === 'vision')!.name)).toEqual(report.masks.get(view.units.find((u) => u.modality === 'vision')!.name));
  });

  it('counts valid text tokens, unweighted image tokens and sequences per unit, the same on both engines', async () => {
    const view = blipView(await freshModel());
    const [onnx, tfjs] = [
      await collectActivationStatistics(view, view.units, oneBatch(batch), silent, { numBatches: 1, engine: 'onnx' }),
      await collectActivationStatistics(view, view.units, oneBatch(batch), silent, { numBatches: 1, engine: 'tfjs' }),
    ];
    const images = batch.pixelValues.shape[0];
    const valid = (mask: tf.Tensor | undefined) => Math.round(tf.tidy(() => mask!.sum().arraySync() as number));
    const decoderMask = (batch as { decoderAttentionMask?: tf.Tensor }).decoderAttentionMask;
    /** Rows a unit reads: image tokens (vision; cross-attention K/V on the image), else the valid tokens of its text. */
    const rowsOf = (unit: (typeof view.units)[number]): number => {
      const keyValue = unit.role === 'cross.k' || unit.role === 'cross.v';
      const vqaDecoder = task === 'vqa' && unit.blockId.startsWith('decoder');
      if (unit.modality === 'vision' || (keyValue && !vqaDecoder)) return images * IMAGE_TOKENS;
      if (vqaDecoder && !keyValue) return valid(decoderMask); // the answer tokens
      return valid(batch.attentionMask); // text / question tokens (the VQA decoder's K/V read the question)
    };
    for (const unit of view.units) {
      const stat = onnx.statistics.get(unit.name)!;
      const rows = rowsOf(unit);
      expect([stat.tokens, stat.sequences], unit.name).toEqual([rows, images]);
      expect(stat.actSqMean.every((v) => v > 0)).toBe(true);
      expect(relativeError(tfjs.statistics.get(unit.name)!.actSqMean, stat.actSqMean), unit.name).toBeLessThan(1e-5);
    }
  });
});
