import * as tf from '@tensorflow/tfjs';
import { createRng } from '@vlp/core';
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticBatch, syntheticCalibration } from './batch.js';
import { syntheticTask } from './task.js';
import { type SyntheticView, createSyntheticView } from './view.js';

let view: SyntheticView | undefined;
afterEach(() => view?.dispose());

describe('syntheticTask', () => {
  it('has a finite, synchronous loss whose gate gradients are non-zero', () => {
    view = createSyntheticView();
    const task = syntheticTask();
    const batch = syntheticBatch(createRng(0), { batchSize: 4 });
    const start = tf.memory().numTensors;
    const heads = tf.ones([2]) as tf.Tensor1D;
    const { value, grads } = tf.valueAndGrads((g: tf.Tensor) => task.loss!(view!, batch, { gates: { 'text.0.attn.heads': g as tf.Tensor1D } }) as tf.Scalar)([heads]);
    const loss = value.dataSync()[0];
    expect(Number.isFinite(loss) && loss > 0).toBe(true);
    expect(grads[0].shape).toEqual([2]);
    expect(Math.max(...Array.from(grads[0].dataSync()).map(Math.abs))).toBeGreaterThan(1e-6);
    tf.dispose([value, heads, ...grads]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('computes the same loss through the asynchronous run()', async () => {
    view = createSyntheticView();
    const task = syntheticTask();
    const batch = syntheticBatch(createRng(1));
    const sync = task.loss!(view, batch) as tf.Scalar;
    const asyncLoss = await task.loss!({ ...view, runSync: undefined } as never, batch);
    expect(asyncLoss.dataSync()[0]).toBeCloseTo(sync.dataSync()[0], 5);
    tf.dispose([sync, asyncLoss]);
  });

  it('evaluates retrieval accuracy on held-out data, lower once the text tower is scrambled', async () => {
    view = createSyntheticView();
    const task = syntheticTask();
    const start = tf.memory().numTensors;
    const { accuracy } = await task.evaluate!(view);
    expect(task.primaryMetric).toBe('accuracy');
    expect(accuracy).toBeGreaterThanOrEqual(0.5);
    const noise = createRng(9);
    const text = view.units.filter((u) => u.modality === 'text');
    view.setWeights(new Map(text.map((u) => [u.name, noise.split(u.name).fillNormal(new Float32Array(u.shape[0] * u.shape[1])).map((v) => 3 * v)])));
    expect((await task.evaluate!(view)).accuracy).toBeLessThan(accuracy);
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('syntheticCalibration', () => {
  it('yields the same n batches on every call, different for another seed', async () => {
    const source = syntheticCalibration(3, 5);
    const collect = async (s = source) => {
      const out = [];
      for await (const b of s.batches()) out.push(b);
      return out;
    };
    const [a, b, other] = [await collect(), await collect(), await collect(syntheticCalibration(3, 6))];
    expect(source.size).toBe(3);
    expect(a).toHaveLength(3);
    expect(a[2].vision).toEqual(b[2].vision);
    expect(a[0].vision).not.toEqual(other[0].vision);
    expect(a[0].attentionMask.slice(0, 2)).toEqual(Int32Array.from([1, 1]));
  });
});
