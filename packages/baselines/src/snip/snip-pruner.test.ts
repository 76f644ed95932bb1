import * as tf from '@tensorflow/tfjs';
import { type PruneEvent, prune } from '@vlp/core';
import { createSyntheticView, syntheticCalibration, syntheticTask, type SyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { accumulateGradients } from './accumulate-gradients.js';
import { snipScores } from './score.js';
import { snip } from './snip-pruner.js';

describePrunerConformance(snip(), {
  validConfigs: [{}, { scope: 'layer' }],
  invalidConfigs: [{ config: { scope: 'tensor' }, path: ['scope'] }],
});

const calibration = syntheticCalibration(2, 0);
const task = syntheticTask();
const silent = { signal: new AbortController().signal, emit: () => undefined };

describe('snip', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  it('accumulates ∂L/∂W over the calibration batches (checked by central differences)', async () => {
    view = createSyntheticView();
    const unit = view.units[4];
    const weights = view.units.map((u) => view!.weight(u.name));
    const before = tf.memory().numTensors;
    const gradients = await accumulateGradients(view, view.units, weights, calibration, task, silent);
    expect(tf.memory().numTensors).toBe(before);
    const w = view.weight(unit.name).dataSync() as Float32Array;
    const eps = 1e-2;
    const lossAt = async (index: number, delta: number): Promise<number> => {
      const values = Float32Array.from(w);
      values[index] += delta;
      const override = tf.tensor2d(values, [...unit.shape]);
      let total = 0;
      for await (const batch of calibration.batches()) {
        const loss = (await task.loss!(view!, batch, { weights: { [unit.name]: override } })) as tf.Scalar;
        total += loss.dataSync()[0];
        loss.dispose();
      }
      override.dispose();
      return total;
    };
    for (const index of [0, 17, 63]) {
      const numeric = ((await lossAt(index, eps)) - (await lossAt(index, -eps))) / (2 * eps);
      expect(gradients.get(unit.name)![index]).toBeCloseTo(numeric, 2);
    }
  });

  it('prunes the lowest |g ⊙ w| under one global threshold', async () => {
    view = createSyntheticView();
    const weights = view.units.map((u) => view!.weight(u.name));
    const gradients = await accumulateGradients(view, view.units, weights, calibration, task, silent);
    const report = await prune(snip(), view, { sparsity: 0.7, seed: 0 }, { apply: false, calibration, task });
    const scores = view.units.flatMap((u) => Array.from(snipScores(view!.weight(u.name).dataSync() as Float32Array, gradients.get(u.name)!)));
    const masks = view.units.flatMap((u) => Array.from(report.masks.get(u.name)!));
    const pruned = scores.filter((_, i) => masks[i] === 0);
    const kept = scores.filter((_, i) => masks[i] === 1);
    expect(pruned).toHaveLength(Math.floor(0.7 * scores.length));
    expect(Math.max(...pruned)).toBeLessThanOrEqual(Math.min(...kept) * (1 + 1e-9));
  });

  it('emits one calibration-batch-end per batch and rejects an asynchronous loss with VLP_NOT_SUPPORTED', async () => {
    view = createSyntheticView();
    const events: PruneEvent[] = [];
    await prune(snip(), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration, task, onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'calibration-batch-end')).toHaveLength(2);
    const asyncTask = { ...task, loss: async () => tf.scalar(0) };
    const before = tf.memory().numTensors;
    const error = await prune(snip(), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration, task: asyncTask }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('VLP_NOT_SUPPORTED');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(tf.memory().numTensors).toBe(before);
  });
});
