/**
 * Dense Cholesky utilities on row-major float64 `n × n` matrices, for SparseGPT's inverse-Hessian
 * factor. O(n³) time, O(n²) memory; inputs are never modified.
 */
import { InvalidArgumentError } from '@vlp/core';

/**
 * Lower Cholesky factor L of a symmetric positive-definite A (A = L Lᵀ), reading only A's lower
 * triangle. Throws `VLP_INVALID_ARGUMENT` at the first pivot that is not > 0 (A not positive
 * definite, e.g. a singular XᵀX without dampening).
 */
export function choleskyLower(a: Float64Array, n: number, what = 'matrix'): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let pivot = a[rowJ + j];
    for (let k = 0; k < j; k++) pivot -= l[rowJ + k] * l[rowJ + k];
    if (!(pivot > 0)) {
      throw new InvalidArgumentError({
        message:
          `The ${what} is not positive definite (Cholesky pivot ${pivot} at column ${j} of ${n}). ` +
          'Use a positive dampening (SparseGPT default 0.01 of the mean diagonal) or more calibration data.',
        expected: 'positive-definite matrix',
        actual: { column: j, pivot },
      });
    }
    const d = Math.sqrt(pivot);
    l[rowJ + j] = d;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= l[rowI + k] * l[rowJ + k];
      l[rowI + j] = s / d;
    }
  }
  return l;
}

/** Inverse of a lower-triangular L with a positive diagonal (forward substitution); lower-triangular. */
export function invertLower(l: Float64Array, n: number): Float64Array {
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    x[rowI + i] = 1 / l[rowI + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += l[rowI + k] * x[k * n + j];
      x[rowI + j] = -s / l[rowI + i];
    }
  }
  return x;
}

/**
 * The upper Cholesky factor U of A⁻¹ (A⁻¹ = Uᵀ U) for a symmetric positive-definite A: the
 * `cholesky → cholesky_inverse → cholesky(upper=True)` chain of the official SparseGPT code.
 * Row i of U, divided by U_ii, is the optimal update of columns i… when weight column i is
 * removed after columns 0…i−1 have been fixed (the sequential OBS step).
 */
export function inverseCholeskyUpper(a: Float64Array, n: number, what = 'matrix'): Float64Array {
  const lInv = invertLower(choleskyLower(a, n, what), n);
  // A⁻¹ = L⁻ᵀ L⁻¹: (A⁻¹)_pq = Σ_{k ≥ max(p,q)} X_kp X_kq with X = L⁻¹; fill the lower triangle.
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let p = 0; p <= k; p++) {
      const xkp = lInv[rowK + p];
      if (xkp === 0) continue;
      const rowP = p * n;
      for (let q = 0; q <= p; q++) inv[rowP + q] += xkp * lInv[rowK + q];
    }
  }
  const lower = choleskyLower(inv, n, `inverse of the ${what}`);
  const upper = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) upper[i * n + j] = lower[j * n + i];
  return upper;
}
