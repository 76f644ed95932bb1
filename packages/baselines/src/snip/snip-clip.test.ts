/** SNIP end to end on the real clip-tiny checkpoint: gradients of @vlp/tasks' CLIP loss through the view's weight overrides. */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { prune } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView, loadModel } from '@vlp/models';
import { clipTask } from '@vlp/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES, readClipInputs } from '../__tests__/hf-fixtures.js';
import { magnitude } from '../magnitude/magnitude-pruner.js';
import { snip } from './snip-pruner.js';

const dir = path.join(HF_FIXTURES, 'clip-tiny');

describe('snip on clip-tiny', () => {
  let model: ClipModel;
  let batch: ClipBatch;
  let owned: tf.Tensor[];

  beforeAll(async () => {
    model = (await loadModel(dir)) as ClipModel;
    const inputs = await readClipInputs(path.join(dir, 'reference/inputs.safetensors'));
    // Two image–text pairs (the contrastive loss needs as many texts as images).
    const inputIds = inputs.inputIds.slice([0, 0], [2, -1]);
    const attentionMask = inputs.attentionMask.slice([0, 0], [2, -1]);
    owned = [inputs.pixelValues, inputs.inputIds, inputs.attentionMask, inputIds, attentionMask];
    batch = { pixelValues: inputs.pixelValues, inputIds, attentionMask };
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose(owned);
  });

  it('prunes 50 % by |g ⊙ w| of the contrastive loss without leaking tensors', async () => {
    const view = clipView(model);
    const calibration = { size: 1, batches: async function* () { yield batch; } };
    const run = () => prune(snip(), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration, task: clipTask(model) });
    await run();
    const before = tf.memory().numTensors;
    const report = await run();
    expect(tf.memory().numTensors).toBe(before);
    expect(report.sparsity.total.sparsity).toBe(0.5);
    const byMagnitude = await prune(magnitude({ scope: 'global' }), view, { sparsity: 0.5, seed: 0 }, { apply: false });
    const same = view.units.every((u) => report.masks.get(u.name)!.every((v, i) => v === byMagnitude.masks.get(u.name)![i]));
    expect(same).toBe(false);
  });
});
