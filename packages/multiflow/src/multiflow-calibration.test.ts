import * as tf from '@tensorflow/tfjs';
import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { multiflowCalibration } from './multiflow-calibration.js';

const samples = Array.from({ length: 10 }, (_, i) => i);

async function drain<T>(source: { batches(): AsyncIterable<T> }, limit = Number.POSITIVE_INFINITY): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of source.batches()) {
    out.push(batch);
    if (out.length >= limit) break;
  }
  return out;
}

describe('multiflowCalibration', () => {
  it('shuffles with the seed, cuts batches of batchSize and keeps the smaller last batch', async () => {
    const source = multiflowCalibration(samples, (chunk) => [...chunk], { batchSize: 4, seed: 3 }, () => undefined);
    const batches = await drain(source);
    expect(source.size).toBe(3);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(samples);
    expect(batches.flat()).not.toEqual(samples);
    expect(await drain(source)).toEqual(batches); // replays the same order
    expect(await drain(multiflowCalibration(samples, (c) => [...c], { batchSize: 4, seed: 3 }, () => undefined))).toEqual(batches);
    expect(await drain(multiflowCalibration(samples, (c) => [...c], { batchSize: 4, seed: 4 }, () => undefined))).not.toEqual(batches);
  });

  it('keeps the given order without shuffle and defaults to batches of 32', async () => {
    const many = Array.from({ length: 70 }, (_, i) => i);
    const batches = await drain(multiflowCalibration(many, (c) => [...c], { shuffle: false }, () => undefined));
    expect(batches.map((b) => b.length)).toEqual([32, 32, 6]);
    expect(batches.flat()).toEqual(many);
  });

  it('builds a batch only when asked and disposes it when the consumer moves on or stops', async () => {
    const before = tf.memory().numTensors;
    let built = 0;
    const source = multiflowCalibration(samples, (chunk) => {
      built++;
      return { x: tf.tensor1d(chunk.map(Number)) };
    }, { batchSize: 2 });
    const seen: number[] = [];
    for await (const batch of source.batches()) {
      seen.push(tf.memory().numTensors - before);
      if (seen.length === 2) break;
    }
    expect([built, seen]).toEqual([2, [1, 1]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects invalid options with VLP_INVALID_CONFIG', () => {
    let error: unknown;
    try {
      multiflowCalibration(samples, (c) => c, { batchSize: 0 });
    } catch (e) {
      error = e;
    }
    expect(VlpError.isInstance(error, 'VLP_INVALID_CONFIG')).toBe(true);
    expect((error as Error).message).toMatch(/batchSize/);
  });
});
