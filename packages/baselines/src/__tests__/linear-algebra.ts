/** Small dense helpers for tests (row-major float64), written independently of the kernels under test. */

/** Inverse of an n×n matrix by Gauss–Jordan elimination with partial pivoting. */
export function inverse(a: ArrayLike<number>, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    for (let k = 0; k < n; k++) {
      [m[c * n + k], m[p * n + k]] = [m[p * n + k], m[c * n + k]];
      [inv[c * n + k], inv[p * n + k]] = [inv[p * n + k], inv[c * n + k]];
    }
    const d = m[c * n + c];
    for (let k = 0; k < n; k++) {
      m[c * n + k] /= d;
      inv[c * n + k] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      for (let k = 0; k < n; k++) {
        m[r * n + k] -= f * m[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  return inv;
}

/** The square sub-matrix of rows/columns `from…n−1`. */
export function trailing(a: ArrayLike<number>, n: number, from: number): Float64Array {
  const k = n - from;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = a[(from + i) * n + from + j];
  return out;
}

/** Σ_rows (ŵ − w) H (ŵ − w)ᵀ for a [rows, n] weight: the squared reconstruction error on H's scale. */
export function quadraticError(w: ArrayLike<number>, pruned: ArrayLike<number>, h: ArrayLike<number>, rows: number, n: number): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      const di = pruned[r * n + i] - w[r * n + i];
      if (di === 0) continue;
      for (let j = 0; j < n; j++) total += di * h[i * n + j] * (pruned[r * n + j] - w[r * n + j]);
    }
  }
  return total;
}

/** A seeded uniform [−1, 1) stream (mulberry32). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** Gram matrix XᵀX of a [tokens, n] row-major X. */
export function gram(x: ArrayLike<number>, tokens: number, n: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let t = 0; t < tokens; t++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] += x[t * n + i] * x[t * n + j];
  return g;
}
