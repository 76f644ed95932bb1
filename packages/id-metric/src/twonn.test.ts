import { createRng } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { blockAnalysis } from './block-analysis.js';
import { estimateIntrinsicDimension } from './intrinsic-dimension.js';
import { slopeThroughOrigin, twoNNEstimate } from './twonn.js';

/** Distance matrix of points on a line (1-D). */
function lineDistances(xs: number[]) {
  const n = xs.length;
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) values[i * n + j] = Math.abs(xs[i]! - xs[j]!);
  return { n, values };
}

describe('twoNNEstimate', () => {
  it('computes μ, F and the slope by hand (points 0, 1, 3, 7, 15 on a line)', () => {
    // r1, r2: 0 → 1, 3 (μ 3); 1 → 1, 2 (2); 3 → 2, 3 (1.5); 7 → 4, 6 (1.5); 15 → 8, 12 (1.5)
    const e = twoNNEstimate(lineDistances([0, 1, 3, 7, 15]));
    expect(e.kept).toBe(5);
    // sorted μ: 1.5, 1.5, 1.5, 2, 3; the last two are dropped
    expect(Array.from(e.x)).toEqual([Math.log(1.5), Math.log(1.5), Math.log(1.5)]);
    expect(Array.from(e.y)).toEqual([-Math.log(1 - 1 / 5), -Math.log(1 - 2 / 5), -Math.log(1 - 3 / 5)]);
    expect(e.slope).toBe(slopeThroughOrigin(e.x, e.y));
  });

  it('drops points with r1 = 0 (duplicates) and r1 = r2', () => {
    // the two 0s are duplicates (r1 = 0); 5 → 5, 5 (r1 = r2); only 10 → 5, 10 (μ = 2) is kept
    const e = twoNNEstimate(lineDistances([0, 0, 5, 10]));
    expect(e.kept).toBe(1);
    expect(e.x).toHaveLength(0);
    expect(e.slope).toBeNaN();
  });

  it('estimates a subset from the rows and columns of its indices only', () => {
    const d = lineDistances([0, 100, 1, 200, 3, 7, 15]);
    expect(twoNNEstimate(d, [0, 2, 4, 5, 6]).slope).toBe(twoNNEstimate(lineDistances([0, 1, 3, 7, 15])).slope);
  });

  it('rejects a non-square matrix and out-of-range indices', () => {
    expect(() => twoNNEstimate({ n: 3, values: new Float64Array(8) })).toThrowError(/n×n/);
    expect(() => twoNNEstimate(lineDistances([0, 1, 2]), [0, 3])).toThrowError(/outside/);
  });
});

describe('blockAnalysis', () => {
  it('averages the per-split slopes of consecutive permutation chunks, dropping the remainder', () => {
    const d = lineDistances([0, 1, 3, 7, 15, 31, 2, 5, 11]);
    const identity = Array.from({ length: 9 }, (_, i) => i);
    const reversed = [...identity].reverse();
    const r = blockAnalysis(d, { maxBlocks: 2, permutations: [identity, reversed] });
    expect(r.rows[0]!.perBlock).toEqual([twoNNEstimate(d).slope]);
    expect(r.rows[1]!.pointsPerBlock).toBe(4);
    expect(r.rows[1]!.perBlock).toEqual([twoNNEstimate(d, [8, 7, 6, 5]).slope, twoNNEstimate(d, [4, 3, 2, 1]).slope]);
    expect(r.id).toBeCloseTo((r.rows[0]!.mean + r.rows[1]!.mean) / 2, 14);
    const m = r.rows[1]!.mean;
    expect(r.std).toBeCloseTo(Math.sqrt(r.rows[1]!.perBlock.reduce((s, v) => s + (v - m) ** 2, 0) / 2), 14);
  });

  it('leaves blocks without an estimate (duplicates) out of the means and counts them', () => {
    // 9 points, b = 2 → blocks [0, 0, 0, 1] (r1 = 0 or r1 = r2 everywhere: no estimate) and [3, 7, 15, 31]
    const d = lineDistances([0, 0, 0, 1, 3, 7, 15, 31, 63]);
    const perm = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const r = blockAnalysis(d, { maxBlocks: 2, permutations: [perm, perm] });
    expect(r.rows[1]!.perBlock[0]).toBeNaN();
    expect(r.rows[1]!.mean).toBe(r.rows[1]!.perBlock[1]);
    expect(r.undefinedBlocks).toBe(1);
    expect(Number.isFinite(r.id)).toBe(true);
  });

  it('is deterministic for a seeded rng and rejects too few points per block', () => {
    const d = lineDistances(Array.from({ length: 30 }, (_, i) => i ** 1.5));
    const a = blockAnalysis(d, { maxBlocks: 5, rng: createRng(3) });
    const b = blockAnalysis(d, { maxBlocks: 5, rng: createRng(3) });
    expect(a).toEqual(b);
    expect(() => blockAnalysis(d, { maxBlocks: 11, rng: createRng(3) })).toThrowError(/at least 3/);
    expect(() => blockAnalysis(d, { maxBlocks: 2 })).toThrowError(/permutations/);
  });
});

describe('estimateIntrinsicDimension on synthetic manifolds', () => {
  it('finds ≈ 2 for a 2-D surface (a curved sheet) in 3-D', async () => {
    const rng = createRng(11);
    const n = 1000;
    const points = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat() * 2 - 1;
      const v = rng.nextFloat() * 2 - 1;
      points.set([u, v, Math.sin(2 * u) * Math.cos(v)], i * 3);
    }
    const { id } = await estimateIntrinsicDimension(points, n, 3, { seed: 0 });
    expect(id).toBeGreaterThan(1.8);
    expect(id).toBeLessThan(2.2);
  });

  it('finds the usual small-sample underestimate for a 20-D isotropic Gaussian (n = 1000)', async () => {
    const rng = createRng(12);
    const n = 1000;
    const d = 20;
    const points = rng.fillNormal(new Float32Array(n * d));
    const { id } = await estimateIntrinsicDimension(points, n, d, { seed: 0 });
    // TwoNN is nearly unbiased at n = 1000 but the block analysis averages blocks of n/b points,
    // where high dimensions are underestimated (Facco et al. 2017, Fig. 2): ≈ 15–19 here.
    expect(id).toBeGreaterThan(14);
    expect(id).toBeLessThan(20);
  });
});
