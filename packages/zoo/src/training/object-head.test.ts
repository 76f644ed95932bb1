import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { OBJECT_TARGET_LOGITS } from '../tiny-clip/object-targets.js';
import { OBJECT_HEAD_BIAS, OBJECT_HEAD_WEIGHT, objectHeadLoss, objectHeadParams } from './object-head.js';

/** Cross-entropy of one logit row (natural log). */
function ce(logits: number[], label: number): number {
  const m = Math.max(...logits);
  return Math.log(logits.reduce((s, v) => s + Math.exp(v - m), 0)) + m - (logits[label] as number);
}

describe('object head', () => {
  beforeAll(async () => void (await initBackend()));

  it('starts small and seeded: weight [27, width] with std ≈ 0.02, bias 0', () => {
    const a = objectHeadParams(64, 3);
    const w = a.get(OBJECT_HEAD_WEIGHT)?.data as Float32Array;
    expect(a.get(OBJECT_HEAD_WEIGHT)?.shape).toEqual([OBJECT_TARGET_LOGITS, 64]);
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(0.018);
    expect(std).toBeLessThan(0.022);
    expect(Array.from(a.get(OBJECT_HEAD_BIAS)?.data as Float32Array).every((v) => v === 0)).toBe(true);
    expect(objectHeadParams(64, 3).get(OBJECT_HEAD_WEIGHT)?.data).toEqual(w);
    expect(objectHeadParams(64, 4).get(OBJECT_HEAD_WEIGHT)?.data).not.toEqual(w);
  });

  it('is the sum of the four cross-entropies of the selected tokens, each averaged over objects (hand-computed)', () => {
    const width = 2;
    // Two images of three tokens; objects at flat tokens 1 and 5.
    const hidden = [[[9, 9], [1, 0], [9, 9]], [[9, 9], [9, 9], [0, 2]]];
    const weight = Array.from({ length: OBJECT_TARGET_LOGITS * width }, (_, i) => ((i * 7) % 11) / 10 - 0.5);
    const bias = Array.from({ length: OBJECT_TARGET_LOGITS }, (_, i) => ((i * 3) % 5) / 10);
    const labels = { colour: [2, 7], shape: [0, 5], size: [1, 0], cell: [8, 4] };
    const rows = [[1, 0], [0, 2]].map((x) => Array.from({ length: OBJECT_TARGET_LOGITS }, (_, j) => x[0]! * weight[j * width]! + x[1]! * weight[j * width + 1]! + bias[j]!));
    const groups = [['colour', 0, 8], ['shape', 8, 8], ['size', 16, 2], ['cell', 18, 9]] as const;
    const expected = groups.reduce((sum, [key, start, n]) => sum + (ce(rows[0]!.slice(start, start + n), labels[key][0]!) + ce(rows[1]!.slice(start, start + n), labels[key][1]!)) / 2, 0);
    const t = (v: number[]) => tf.tensor1d(v, 'int32');
    const targets = { token: t([1, 5]), colour: t(labels.colour), shape: t(labels.shape), size: t(labels.size), cell: t(labels.cell) };
    const weights = { [OBJECT_HEAD_WEIGHT]: tf.tensor2d(weight, [OBJECT_TARGET_LOGITS, width]), [OBJECT_HEAD_BIAS]: tf.tensor1d(bias) };
    const h = tf.tensor3d(hidden);
    const loss = objectHeadLoss(h, targets, weights);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 4);
    // Only the selected tokens receive gradient.
    const g = tf.grad((x: tf.Tensor) => objectHeadLoss(x, targets, weights))(h).arraySync() as number[][][];
    expect([g[0]![0], g[0]![2], g[1]![0], g[1]![1]].flat().every((v) => v === 0)).toBe(true);
    expect(g[0]![1]!.some((v) => v !== 0) && g[1]![2]!.some((v) => v !== 0)).toBe(true);
    tf.dispose([loss, h, ...Object.values(targets), ...Object.values(weights)]);
  });
});
