import { describe, expect, it } from 'vitest';
import { readArrays, readJson, rel } from './__tests__/fixtures.js';
import { blockAnalysis } from './block-analysis.js';
import { estimateIntrinsicDimension } from './intrinsic-dimension.js';
import { pairwiseDistances } from './pairwise-distances.js';
import { twoNNEstimate } from './twonn.js';

interface Cloud {
  name: string;
  n_points: number;
  ambient_dim: number;
  estimate_ID_2nn: { id: number; std_at_20_blocks: number; n_points_per_block: number[] };
  full_matrix_estimate: { slope: number; n_regression_points: number; x: number[]; y: number[] };
  block_analysis: { blocks: number; points_per_block: number; dim_mean: number; dim_std: number; per_split_slope: number[] }[];
}

const { clouds } = readJson<{ clouds: Cloud[] }>('twonn.json');

describe('TwoNN: parity with the official ComputeID.estimate_ID_2nn', () => {
  for (const cloud of clouds) {
    describe(cloud.name, () => {
      const load = async () => {
        const arrays = await readArrays(`points_${cloud.name}.safetensors`);
        const points = arrays.get('points')!;
        const perms = arrays.get('block_permutations')!;
        const n = points.shape[0]!;
        const permutations = Array.from({ length: perms.shape[0]! }, (_, b) => perms.values.subarray(b * n, (b + 1) * n));
        return { points: points.values, n, dim: points.shape[1]!, permutations };
      };

      it('reproduces the full-matrix estimate and its regression points', async () => {
        const { points, n, dim } = await load();
        const d = await pairwiseDistances(points, n, dim);
        const e = twoNNEstimate(d);
        const want = cloud.full_matrix_estimate;
        expect(e.x.length).toBe(want.n_regression_points);
        expect(rel(e.slope, want.slope)).toBeLessThan(1e-5);
        for (let i = 0; i < e.x.length; i++) expect(Math.abs(e.x[i]! - want.x[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want.x[i]!)));
        for (let i = 0; i < e.y.length; i++) expect(Math.abs(e.y[i]! - want.y[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(want.y[i]!)));
      });

      it('reproduces every block-analysis value and the ID with the official permutations (rel 1e-5)', async () => {
        const { points, n, dim, permutations } = await load();
        const result = await estimateIntrinsicDimension(points, n, dim, { permutations });
        expect(result.rows).toHaveLength(cloud.block_analysis.length);
        for (const [i, row] of result.rows.entries()) {
          const want = cloud.block_analysis[i]!;
          expect(row.blocks).toBe(want.blocks);
          expect(row.pointsPerBlock).toBe(want.points_per_block);
          expect(rel(row.mean, want.dim_mean), `b = ${row.blocks} mean`).toBeLessThan(1e-5);
          for (const [j, s] of row.perBlock.entries()) expect(rel(s, want.per_split_slope[j]!), `b = ${row.blocks} split ${j}`).toBeLessThan(1e-5);
          if (want.dim_std > 0) expect(rel(row.std, want.dim_std)).toBeLessThan(1e-4);
        }
        expect(rel(result.id, cloud.estimate_ID_2nn.id)).toBeLessThan(1e-5);
        expect(rel(result.std, cloud.estimate_ID_2nn.std_at_20_blocks)).toBeLessThan(1e-4);
        expect(result.rows.map((r) => r.pointsPerBlock)).toEqual(cloud.estimate_ID_2nn.n_points_per_block);
      });

      it('gives the same ID from a precomputed matrix and from the points', async () => {
        const { points, n, dim, permutations } = await load();
        const d = await pairwiseDistances(points, n, dim, { tileRows: 37 });
        const a = blockAnalysis(d, { maxBlocks: 20, permutations });
        const b = await estimateIntrinsicDimension(points, n, dim, { permutations });
        expect(a.id).toBe(b.id);
      });
    });
  }
});
