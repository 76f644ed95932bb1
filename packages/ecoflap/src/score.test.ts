import * as tf from '@tensorflow/tfjs';
import { createRng, type PrunableUnit } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { sourceOf } from './__tests__/fixtures.js';
import { perturbedWeight, projectedGradient, symmetricInfoNce, zerothOrderImportance } from './score.js';
import { rngNoise, zerothOrderGradients } from './zeroth-order.js';

const silent = { signal: new AbortController().signal, emit: () => undefined };
const unit: PrunableUnit = { name: 'w', modality: 'text', blockId: 'text.0', block: 0, role: 'mlp.fc1', shape: [3, 4] };

describe('ecoflap', () => {
  describe('zerothOrderGradients', () => {
    it('equals the true directional derivative of a quadratic loss within 1e-3', async () => {
      const rng = createRng(3);
      // Weights at a transformer-like scale (std 0.1): W ± εz is stored in float32 as on the engines, and
      // that rounding (≈ ulp(w)·|∂L/∂w| / 2ε per entry) is the only error of the central difference here.
      const w = rng.fillNormal(new Float32Array(12)).map((v) => v * 0.1);
      const a = Float64Array.from({ length: 12 }, (_, i) => 0.5 + i / 4);
      const b = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i));
      // L(W) = ½ Σ a_i w_i² + Σ b_i w_i, so ∇L·z = Σ (a_i w_i + b_i) z_i.
      const loss = async (_batch: unknown, weights: Readonly<Record<string, tf.Tensor2D>>) => {
        const v = await weights.w.data();
        let l = 0;
        for (let i = 0; i < 12; i++) l += 0.5 * a[i] * v[i] * v[i] + b[i] * v[i];
        return l;
      };
      const noise = rngNoise(createRng(11));
      const before = tf.memory().numTensors;
      const got = await zerothOrderGradients([unit], sourceOf({ size: 4 }, { size: 4 }), silent, {
        epsilon: 1e-3,
        samples: 8,
        noiseSamples: 1,
        noise,
        loss,
        readWeight: async () => w,
      });
      expect(tf.memory().numTensors).toBe(before);
      const draws = got.get('w')!.draws;
      expect(draws).toHaveLength(2);
      let accumulated = 0;
      for (const d of draws) {
        const z = noise(unit, d.batch, 0);
        let exact = 0;
        for (let i = 0; i < 12; i++) exact += (a[i] * w[i] + b[i]) * z[i];
        expect(Math.abs(d.projectedGradient - exact)).toBeLessThan(1e-3);
        accumulated += Math.abs(d.projectedGradient);
      }
      expect(got.get('w')!.accumulated).toBeCloseTo(accumulated, 12);
    });

    it('stops once `samples` samples were used and counts every draw (official accounting)', async () => {
      const calls: number[] = [];
      const got = await zerothOrderGradients([unit], sourceOf({ size: 16 }, { size: 16 }, { size: 16 }), silent, {
        epsilon: 1e-3,
        samples: 32,
        noiseSamples: 1,
        noise: rngNoise(createRng(0)),
        loss: async () => (calls.push(1), 0),
        readWeight: async () => new Float32Array(12),
      });
      expect(got.get('w')!.draws).toHaveLength(2);
      expect(calls).toHaveLength(4);
    });

    it('draws reproducible noise per unit, batch and draw from the seed', () => {
      const a = rngNoise(createRng(5))(unit, 1, 0);
      expect(rngNoise(createRng(5))(unit, 1, 0)).toEqual(a);
      expect(rngNoise(createRng(5))(unit, 0, 0)).not.toEqual(a);
    });
  });

  describe('score kernels', () => {
    it('perturbs in float32 and leaves the input alone', () => {
      const w = Float32Array.from([1, -2, 0.5]);
      const p = perturbedWeight(w, Float32Array.from([1, 1, -2]), 1e-3);
      expect(Array.from(p)).toEqual([Math.fround(1.001), Math.fround(-1.999), Math.fround(0.498)]);
      expect(Array.from(w)).toEqual([1, -2, 0.5]);
    });

    it('computes the central difference and the three importance rules', () => {
      expect(projectedGradient(1.5, 0.5, 0.25)).toBe(2);
      const w = Float32Array.from([1, -2, 3]);
      expect(zerothOrderImportance('grad-only', -4, w)).toBe(4);
      expect(zerothOrderImportance('grad-mag-abs', 2, w)).toBe(12);
      expect(zerothOrderImportance('grad-mag-square', 2, w)).toBe(56);
    });

    it('computes the symmetric InfoNCE of a hand-sized logits matrix', () => {
      // [[2, 0], [0, 2]]: every row and column CE = log(1 + e⁻²).
      expect(symmetricInfoNce([2, 0, 0, 2], 2)).toBeCloseTo(Math.log(1 + Math.exp(-2)), 12);
      // transposing does not change the loss
      expect(symmetricInfoNce([1, 2, 3, 4], 2)).toBeCloseTo(symmetricInfoNce([1, 3, 2, 4], 2), 12);
    });
  });
});
