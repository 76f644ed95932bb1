import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, VlpError } from '@vlp/core';
import { ParamStore } from '@vlp/models';
import { adamwUpdate } from './adamw.js';
import { checkpointSteps } from './checkpoint.js';
import { distillationLoss } from './distill.js';
import { learningRateAt } from './lr-schedule.js';
import { type TrainData, train } from './trainer.js';

const TARGETS = Array.from({ length: 8 }, (_, i) => Float32Array.from({ length: 6 }, (_, j) => Math.sin(i + j)));

/** 8 samples, each a 2×3 target; loss = mean over the batch of mean((w − target)²). */
const data: TrainData<tf.Tensor> = {
  size: 8,
  collate: (indices) => tf.tidy(() => tf.stack(indices.map((i) => tf.tensor(TARGETS[i] as Float32Array, [2, 3])))),
  release: (batch) => batch.dispose(),
};
const forward = (batch: tf.Tensor, weights: Readonly<Record<string, tf.Tensor>>) => ({
  loss: tf.mean(tf.square(tf.sub(batch, (weights.w as tf.Tensor).expandDims(0)))) as tf.Scalar,
});
const store = () => new ParamStore(new Map([['w', { shape: [2, 3], data: new Float32Array(6) }]]));

describe('learningRateAt', () => {
  it('warms up linearly, then decays with a half cosine to the floor', () => {
    const lr = (s: number) => learningRateAt(s, 6, 1, { warmupSteps: 2 });
    expect([lr(0), lr(1), lr(2)]).toEqual([0.5, 1, 1]);
    expect(lr(3)).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI / 4)), 12); // 0.853553
    expect(lr(5)).toBeCloseTo(0.5 * (1 + Math.cos((3 * Math.PI) / 4)), 12); // 0.146447
    expect(learningRateAt(4, 6, 2, { warmupSteps: 2, decay: 'linear', minRatio: 0.5 })).toBeCloseTo(1 + 1 * (1 - 0.5), 12);
    expect(() => learningRateAt(6, 6, 1)).toThrowError(/outside 0..5/);
  });
});

describe('adamwUpdate', () => {
  beforeAll(async () => {
    await initBackend();
  });
  it('does one torch-AdamW step by hand', () => {
    // p = 1, g = 0.5, lr = 0.1, wd = 0.01: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25,
    // p ← 1·(1 − 0.001) − 0.1·0.5/(0.5 + 1e-8) = 0.899
    const p = tf.variable(tf.scalar(1));
    const slot = { m: tf.variable(tf.scalar(0)), v: tf.variable(tf.scalar(0)) };
    const g = tf.scalar(0.5);
    adamwUpdate(p, g, slot, 0.1, 1, true, { weightDecay: 0.01 });
    expect(p.dataSync()[0]).toBeCloseTo(0.899, 6);
    expect(slot.m.dataSync()[0]).toBeCloseTo(0.05, 7);
    expect(slot.v.dataSync()[0]).toBeCloseTo(0.00025, 9);
    tf.dispose([p, slot.m, slot.v, g]);
  });
});

describe('distillationLoss', () => {
  it('computes MSE and temperature-scaled KL terms by hand', () => {
    const s = { h: tf.tensor1d([1, 2]), l: tf.tensor2d([[0, 0]]) };
    const t = { h: tf.tensor1d([2, 4]), l: tf.tensor2d([[Math.log(3), 0]]) };
    // mse = ((1)² + (2)²)/2 = 2.5; kl: p = (0.75, 0.25), q = (0.5, 0.5): 0.75·ln1.5 + 0.25·ln0.5 = 0.130812
    const loss = distillationLoss(s, t, [
      { output: 'h', kind: 'mse', weight: 2 },
      { output: 'l', kind: 'kl', weight: 1 },
    ]);
    expect(loss.dataSync()[0]).toBeCloseTo(5 + 0.75 * Math.log(1.5) + 0.25 * Math.log(0.5), 5);
    expect(() => distillationLoss(s, t, [{ output: 'x', kind: 'mse', weight: 1 }])).toThrowError(/"x" is missing/);
    tf.dispose([loss, ...Object.values(s), ...Object.values(t)]);
  });
});

describe('train', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'vlp-train-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    await initBackend();
  });
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('converges to the mean target, writes the result back and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const params = store();
    const result = await train({ params, forward, data, batchSize: 8, steps: 300, learningRate: 0.05, decay: () => false });
    expect(tf.memory().numTensors).toBe(before);
    const mean = Array.from({ length: 6 }, (_, j) => TARGETS.reduce((a, t) => a + (t[j] as number), 0) / 8);
    Array.from(params.get('w').data).forEach((v, j) => expect(v).toBeCloseTo(mean[j] as number, 2));
    expect(result.losses[299]).toBeLessThan(result.losses[0] as number);
  });

  it('keeps pruned weights exactly zero while the others train', async () => {
    const params = new ParamStore(new Map([['w', { shape: [2, 3], data: Float32Array.from([1, 1, 1, 1, 1, 1]) }]]));
    const masks = new Map([['w', Uint8Array.from([1, 0, 1, 0, 1, 1])]]);
    await train({ params, forward, data, batchSize: 4, steps: 20, learningRate: 0.1, masks, optimizer: { weightDecay: 0.1 } });
    const w = params.get('w').data;
    expect([w[1], w[3]]).toEqual([0, 0]);
    for (const i of [0, 2, 4, 5]) expect(w[i]).not.toBe(1);
  });

  it('gradient accumulation over 2×2 equals one batch of 4', async () => {
    const a = store();
    const b = store();
    await train({ params: a, forward, data, batchSize: 4, steps: 5, learningRate: 0.05 });
    await train({ params: b, forward, data, batchSize: 2, gradientAccumulation: 2, steps: 5, learningRate: 0.05 });
    Array.from(a.get('w').data).forEach((v, i) => expect(b.get('w').data[i]).toBeCloseTo(v, 6));
  });

  it('the data order depends on the seed, and the same seed gives the same result', async () => {
    const [a, b, c] = [store(), store(), store()];
    await train({ params: a, forward, data, batchSize: 2, steps: 3, learningRate: 0.1, seed: 1 });
    await train({ params: b, forward, data, batchSize: 2, steps: 3, learningRate: 0.1, seed: 1 });
    await train({ params: c, forward, data, batchSize: 2, steps: 3, learningRate: 0.1, seed: 2 });
    expect(Array.from(b.get('w').data)).toEqual(Array.from(a.get('w').data));
    expect(Array.from(c.get('w').data)).not.toEqual(Array.from(a.get('w').data));
  });

  it('an aborted run resumes from its last checkpoint to exactly the uninterrupted result', async () => {
    const common = { forward, data, batchSize: 3, steps: 7, learningRate: 0.05, schedule: { warmupSteps: 2 }, seed: 3 } as const;
    const full = store();
    const fullResult = await train({ ...common, params: full });
    const dir = tmp();
    const controller = new AbortController();
    const interrupted = store();
    const error = await train({
      ...common,
      params: interrupted,
      checkpoint: { dir, every: 2 },
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'step-end' && e.step === 5) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_ABORTED')).toBe(true);
    const events: string[] = [];
    const resumed = store();
    const result = await train({ ...common, params: resumed, checkpoint: { dir, every: 2, resume: true }, onEvent: (e) => events.push(e.type) });
    expect(result.resumedFrom).toBe(4);
    expect(events.filter((e) => e === 'step-end')).toHaveLength(3);
    expect(Array.from(resumed.get('w').data)).toEqual(Array.from(full.get('w').data));
    expect(Array.from(full.get('w').data).some((v) => Math.abs(v) > 0.05)).toBe(true); // it trained
    expect(result.losses).toEqual(fullResult.losses);
  });

  it('keeps the newest `keep` checkpoints and resumes from an older one on request', async () => {
    const common = { forward, data, batchSize: 3, steps: 6, learningRate: 0.05, seed: 3 } as const;
    const dir = tmp();
    const first = store();
    await train({ ...common, params: first, checkpoint: { dir, every: 2, keep: 2 } });
    expect(checkpointSteps(dir)).toEqual([4, 6]);
    const again = store();
    const result = await train({ ...common, params: again, checkpoint: { dir, every: 2, keep: 2, resume: true, resumeStep: 4 } });
    expect(result.resumedFrom).toBe(4);
    expect(Array.from(again.get('w').data)).toEqual(Array.from(first.get('w').data));
    expect(checkpointSteps(dir)).toEqual([4, 6]);
    const missing = await train({ ...common, params: store(), checkpoint: { dir, every: 2, resume: true, resumeStep: 2 } }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/no checkpoint of step 2 \(it has: 4, 6\)/);
  });

  it('refuses to resume a checkpoint made with other settings', async () => {
    const dir = tmp();
    await train({ params: store(), forward, data, batchSize: 2, steps: 2, learningRate: 0.1, checkpoint: { dir, every: 1 } });
    const error = await train({ params: store(), forward, data, batchSize: 2, steps: 3, learningRate: 0.1, checkpoint: { dir, every: 1, resume: true } }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toContain('2 steps');
  });

  it('distils: with only a KD term, the student moves to the teacher', async () => {
    const params = store();
    const teacherW = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    await train({
      params,
      data,
      batchSize: 1,
      steps: 200,
      learningRate: 0.1,
      decay: () => false,
      schedule: { decay: 'constant' },
      forward: (_batch, weights) => ({ outputs: { h: weights.w as tf.Tensor } }),
      distill: { teacher: () => ({ h: teacherW.clone() }), terms: [{ output: 'h', kind: 'mse', weight: 1 }] },
    });
    Array.from(params.get('w').data).forEach((v, i) => expect(v).toBeCloseTo(i + 1, 1));
    teacherW.dispose();
  });

  it('onStepEnd sees every step with its gradients and may change the parameters', async () => {
    const params = store();
    const steps: number[] = [];
    const before = tf.memory().numTensors;
    await train({
      params,
      forward,
      data,
      batchSize: 2,
      steps: 4,
      learningRate: 0.1,
      onStepEnd: ({ step, params: vars, grads }) => {
        steps.push(step);
        expect(grads.get('w')?.shape).toEqual([2, 3]);
        const w = vars.get('w') as tf.Variable;
        tf.tidy(() => w.assign(tf.mul(w, tf.tensor2d([[1, 0, 1], [1, 1, 1]])))); // an iterative pruner's new mask
      },
    });
    expect(steps).toEqual([1, 2, 3, 4]);
    expect(params.get('w').data[1]).toBe(0);
    expect(params.get('w').data[0]).not.toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options naming the field', async () => {
    await expect(train({ params: store(), forward, data, batchSize: 0, steps: 1, learningRate: 0.1 })).rejects.toThrowError(/batchSize/);
    await expect(train({ params: store(), forward, data, batchSize: 1, steps: 1, learningRate: 0 })).rejects.toThrowError(/learningRate/);
  });
});
