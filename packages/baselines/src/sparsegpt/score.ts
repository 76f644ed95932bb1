/**
 * SparseGPT's layer-wise kernel (Frantar & Alistarh, "SparseGPT: Massive Language Models Can Be
 * Accurately Pruned in One-Shot", ICML 2023, Algorithm 1). Layout: weights flat row-major over
 * `[out, in]` (HF orientation), Hessian `[in, in]` row-major. Time O(in³ + out·in·blockSize +
 * out·in²/2), memory O(in² + out·in), all in float64.
 */
import { InvalidArgumentError, kForSparsity, pruneLowest, pruneNM } from '@vlp/core';
import type { NMPattern } from '../common/granularity.js';
import { inverseCholeskyUpper } from './cholesky.js';

/** What {@link sparseGptPrune} prunes and how. Give exactly one of `sparsity` and `nm`. */
export interface SparseGptOptions {
  /** Unstructured: fraction of the unit pruned, in [0, 1); ⌊s·out·in⌋ weights in total. */
  readonly sparsity?: number;
  /** N:M: at most `n` weights kept in every `m` consecutive inputs of a row. */
  readonly nm?: NMPattern;
  /** Columns per lazy-update block, also the mask-selection block (official default 128). */
  readonly blockSize?: number;
  /** Dampening added to the diagonal, as a fraction of its mean (official `percdamp` 0.01). */
  readonly dampening?: number;
}

/** The pruned layer. */
export interface SparseGptResult {
  /** Updated weights, pruned entries exactly 0. */
  readonly weight: Float32Array;
  /** 1 keeps, 0 prunes. */
  readonly mask: Uint8Array;
  /** The official `error` estimate: Σ over pruned weights of (w/U_ii)²/2 (added squared error on H's scale). */
  readonly error: number;
}

function fail(message: string, expected?: unknown, actual?: unknown): InvalidArgumentError {
  return new InvalidArgumentError({ message: `sparseGptPrune: ${message}`, expected, actual });
}

function checkOptions(cols: number, options: SparseGptOptions): { blockSize: number; dampening: number } {
  const { sparsity, nm, blockSize = 128, dampening = 0.01 } = options;
  if ((sparsity === undefined) === (nm === undefined)) throw fail('give exactly one of `sparsity` and `nm`.', 'sparsity xor nm', options);
  if (sparsity !== undefined && !(sparsity >= 0 && sparsity < 1)) throw fail(`sparsity must be in [0, 1) (got ${sparsity}).`, '[0, 1)', sparsity);
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw fail(`blockSize must be a positive integer (got ${blockSize}).`, '>= 1', blockSize);
  if (!(dampening >= 0 && Number.isFinite(dampening))) throw fail(`dampening must be a finite number ≥ 0 (got ${dampening}).`, '>= 0', dampening);
  if (nm) {
    const { n, m } = nm;
    if (!Number.isSafeInteger(n) || !Number.isSafeInteger(m) || m < 1 || n < 0 || n > m) throw fail(`N:M needs integers 0 ≤ n ≤ m, m ≥ 1 (got ${n}:${m}).`, '0 <= n <= m', nm);
    if (cols % m !== 0) throw fail(`N:M with m = ${m} needs the input width (${cols}) to be a multiple of m.`, `cols % ${m} === 0`, cols);
    if (blockSize % m !== 0) throw fail(`blockSize (${blockSize}) must be a multiple of m (${m}) so N:M groups never straddle two blocks.`, `blockSize % ${m} === 0`, blockSize);
  }
  return { blockSize, dampening };
}

/** Copies H, sets dead inputs (zero diagonal) to 1 and zeroes their weight columns, then adds the dampening. */
function prepare(w: Float64Array, hessian: ArrayLike<number>, rows: number, cols: number, dampening: number): Float64Array {
  const h = Float64Array.from(hessian);
  let trace = 0;
  for (let j = 0; j < cols; j++) {
    if (h[j * cols + j] === 0) {
      h[j * cols + j] = 1;
      for (let r = 0; r < rows; r++) w[r * cols + j] = 0;
    }
    trace += h[j * cols + j];
  }
  const damp = (dampening * trace) / cols;
  for (let j = 0; j < cols; j++) h[j * cols + j] += damp;
  return h;
}

/** Unstructured mask of one block: the k lowest `w²/U_cc²` over all rows of columns [i1, i2). */
function selectBlock(w: Float64Array, u: Float64Array, mask: Uint8Array, rows: number, cols: number, i1: number, i2: number, k: number): void {
  const count = i2 - i1;
  const scores = new Float64Array(rows * count);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < count; c++) {
      const d = u[(i1 + c) * cols + i1 + c];
      const v = w[r * cols + i1 + c];
      scores[r * count + c] = (v * v) / (d * d);
    }
  }
  const block = pruneLowest(scores, k);
  for (let r = 0; r < rows; r++) for (let c = 0; c < count; c++) mask[r * cols + i1 + c] = block[r * count + c];
}

/** N:M mask of the m columns starting at i, from the current (already updated) weights. */
function selectGroup(w: Float64Array, u: Float64Array, mask: Uint8Array, rows: number, cols: number, i: number, nm: NMPattern): void {
  const { n, m } = nm;
  const scores = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < m; g++) {
      const d = u[(i + g) * cols + i + g];
      const v = w[r * cols + i + g];
      scores[r * m + g] = (v * v) / (d * d);
    }
  }
  const group = pruneNM(scores, [rows, m], n, m);
  for (let r = 0; r < rows; r++) for (let g = 0; g < m; g++) mask[r * cols + i + g] = group[r * m + g];
}

/**
 * Prunes one linear layer with SparseGPT: dead inputs (zero Hessian diagonal) get H_jj = 1 and a
 * zero weight column; `dampening · mean(diag H)` is added to the diagonal; U = upper Cholesky
 * factor of H⁻¹. Columns are processed left to right in blocks of `blockSize`: the block's mask is
 * chosen by the OBS saliency `w²/U_cc²` on the current weights (unstructured: the k lowest of the
 * block, with k = ⌊s·out·i2⌋ − ⌊s·out·i1⌋ so the unit total is exactly ⌊s·out·in⌋; N:M: per group
 * of m columns, when the group starts); every pruned weight's error `w/U_ii` is propagated to the
 * remaining columns of its row through row i of U (inside the block at once, beyond it lazily
 * after the block). Ties: lower index pruned first. Inputs are not modified.
 * Throws `VLP_INVALID_ARGUMENT` for bad shapes or options, or a Hessian that is not positive
 * definite after dampening.
 */
export function sparseGptPrune(
  weight: Float32Array,
  shape: readonly [number, number],
  hessian: ArrayLike<number>,
  options: SparseGptOptions,
): SparseGptResult {
  const [rows, cols] = shape;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 1 || cols < 1 || weight.length !== rows * cols) {
    throw fail(`weight has ${weight.length} values; shape [${shape.join(', ')}] needs ${rows * cols}.`, rows * cols, weight.length);
  }
  if (hessian.length !== cols * cols) throw fail(`the Hessian must be [${cols}, ${cols}] (${cols * cols} values), got ${hessian.length}.`, cols * cols, hessian.length);
  const { blockSize, dampening } = checkOptions(cols, options);
  const w = Float64Array.from(weight);
  const u = inverseCholeskyUpper(prepare(w, hessian, rows, cols, dampening), cols, 'damped Hessian');
  const mask = new Uint8Array(rows * cols).fill(1);
  const errors = new Float64Array(rows * blockSize);
  let error = 0;
  for (let i1 = 0; i1 < cols; i1 += blockSize) {
    const i2 = Math.min(i1 + blockSize, cols);
    const count = i2 - i1;
    errors.fill(0);
    if (options.sparsity !== undefined) {
      const k = kForSparsity(rows * i2, options.sparsity) - kForSparsity(rows * i1, options.sparsity);
      selectBlock(w, u, mask, rows, cols, i1, i2, k);
    }
    for (let c = 0; c < count; c++) {
      const i = i1 + c;
      if (options.nm && i % options.nm.m === 0) selectGroup(w, u, mask, rows, cols, i, options.nm);
      const uRow = i * cols;
      const d = u[uRow + i];
      for (let r = 0; r < rows; r++) {
        const index = r * cols + i;
        if (mask[index] === 1) continue;
        const e = w[index] / d;
        error += (e * e) / 2;
        errors[r * count + c] = e;
        for (let j = i + 1; j < i2; j++) w[r * cols + j] -= e * u[uRow + j];
        w[index] = 0;
      }
    }
    for (let r = 0; r < rows && i2 < cols; r++) {
      for (let c = 0; c < count; c++) {
        const e = errors[r * count + c];
        if (e === 0) continue;
        const uRow = (i1 + c) * cols;
        for (let j = i2; j < cols; j++) w[r * cols + j] -= e * u[uRow + j];
      }
    }
  }
  return { weight: Float32Array.from(w), mask, error };
}
