import { InvalidArgumentError } from '@vlp/core';

/**
 * TwoNN intrinsic-dimension estimate (Facco et al., Sci. Rep. 2017) exactly as the official ID code
 * (`ComputeID.estimate`, Wang, Zhang & Ma, ICML 2024, §3.1):
 *
 * 1. per point, `r₁`, `r₂` = the 2nd and 3rd smallest entries of its distance row **including itself**
 *    (the official row sort, so a duplicate point gives `r₁ = 0`);
 * 2. drop points with `r₁ = 0` or `r₁ = r₂`;
 * 3. `μ = r₂ / r₁` sorted ascending, `F_i = i / N` (i = 1…N, N = points kept);
 * 4. least squares through the origin of `y = −log(1 − F)` on `x = log μ` over the first `N − 2`
 *    points (the official code drops the last two): `d = Σxy / Σx²`.
 *
 * Host-side float64 arithmetic on the given (float32 in the official code) distances. O(m²) for a
 * subset of m points plus the sort.
 */

/** Result of {@link twoNNEstimate}. */
export interface TwoNNEstimate {
  /** The slope d (the intrinsic dimension); NaN when fewer than 3 points are kept. */
  readonly slope: number;
  /** Points kept after dropping `r₁ = 0` and `r₁ = r₂`. */
  readonly kept: number;
  /** The regression abscissae `log μ` (N − 2 values, ascending). */
  readonly x: Float64Array;
  /** The regression ordinates `−log(1 − i/N)`. */
  readonly y: Float64Array;
}

/** A square distance matrix, row-major `[n, n]`. */
export interface DistanceMatrix {
  readonly n: number;
  readonly values: ArrayLike<number>;
}

/** `r₁`, `r₂` of point `i` among `subset`: the 2nd and 3rd smallest of its row restricted to the subset. */
function nearestTwo(d: DistanceMatrix, i: number, subset: ArrayLike<number>): [number, number] {
  let a = Infinity;
  let b = Infinity;
  let c = Infinity;
  const row = i * d.n;
  for (let j = 0; j < subset.length; j++) {
    const v = d.values[row + subset[j]];
    if (v < a) [a, b, c] = [v, a, b];
    else if (v < b) [b, c] = [v, b];
    else if (v < c) c = v;
  }
  return [b, c];
}

/** Least-squares slope through the origin of `y` on `x` (float64). */
export function slopeThroughOrigin(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let xy = 0;
  let xx = 0;
  for (let i = 0; i < x.length; i++) {
    xy += x[i] * y[i];
    xx += x[i] * x[i];
  }
  return xx > 0 ? xy / xx : Number.NaN;
}

/**
 * TwoNN estimate of the points `subset` (indices into `distances`; default all n points).
 * Throws `InvalidArgumentError` when the matrix is not n×n or a subset index is out of range.
 */
export function twoNNEstimate(distances: DistanceMatrix, subset?: ArrayLike<number>): TwoNNEstimate {
  const { n } = distances;
  if (!Number.isInteger(n) || n < 0 || distances.values.length !== n * n) {
    throw new InvalidArgumentError({
      message: `twoNNEstimate needs an n×n distance matrix (n = ${n}, got ${distances.values.length} values).`,
      expected: n * n,
      actual: distances.values.length,
    });
  }
  const points = subset ?? Uint32Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < points.length; j++) {
    if (!(points[j] >= 0 && points[j] < n && Number.isInteger(points[j]))) {
      throw new InvalidArgumentError({ message: `twoNNEstimate: subset index ${points[j]} is outside 0..${n - 1}.`, actual: points[j] });
    }
  }
  const mu: number[] = [];
  for (let j = 0; j < points.length; j++) {
    const [r1, r2] = nearestTwo(distances, points[j], points);
    if (r1 === 0 || r1 === r2 || !Number.isFinite(r2)) continue;
    mu.push(r2 / r1);
  }
  mu.sort((p, q) => p - q);
  const kept = mu.length;
  const m = Math.max(0, kept - 2);
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    x[i] = Math.log(mu[i]);
    y[i] = -Math.log(1 - (i + 1) / kept);
  }
  return { slope: m > 0 ? slopeThroughOrigin(x, y) : Number.NaN, kept, x, y };
}
