import { InvalidArgumentError } from '@vlp/core';

/**
 * Solves `A X = B` for symmetric positive definite `A [n, n]` and `B [n, m]` (row-major) by
 * Cholesky factorisation in float64; returns `X [n, m]` row-major. Throws when `A` is not positive
 * definite (add a ridge to its diagonal).
 */
export function solveSpd(a: ArrayLike<number>, b: ArrayLike<number>, n: number, m: number): Float64Array {
  if (a.length !== n * n || b.length !== n * m) throw new InvalidArgumentError({ message: `solveSpd needs A [${n}, ${n}] and B [${n}, ${m}]; got ${a.length} and ${b.length} values.` });
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(s > 0)) throw new InvalidArgumentError({ message: `solveSpd: the matrix is not positive definite (pivot ${i} is ${s}).` });
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / (l[j * n + j] as number);
    }
  }
  const x = new Float64Array(n * m);
  const y = new Float64Array(n);
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * m + c] as number;
      for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (y[k] as number);
      y[i] = s / (l[i * n + i] as number);
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i] as number;
      for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k * m + c] as number);
      x[i * m + c] = s / (l[i * n + i] as number);
    }
  }
  return x;
}
