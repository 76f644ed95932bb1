/**
 * UPop's unified ranking and progressive mask update (Shi et al., ICML 2023, §3.3–3.4; official
 * `update_alpha_parameters` in `compress_*.py`). Host-side, Float64 arithmetic; the new mask values
 * are float32 (`1 − π_t/p` rounded as the official float32 tensors are). O(N log N) for N entries.
 *
 * 1. z-standardise all attention-mask gradients jointly (every module, every tower; unbiased n−1
 *    std as `torch.std`), and all MLP-mask gradients jointly;
 * 2. sort all z descending; weight each entry (official 36 attention / 1 MLP, or its parameters);
 * 3. threshold = the sorted z where the cumulative weight is closest to `π_t · Σweights`
 *    (first such index);
 * 4. an entry is kept iff `z ≤ threshold` or it is its module's minimum; kept → 1, pruned → `1 − π_t/p`.
 */

/** Kind of a mask module: attention channels (shared by the heads) or MLP neurons. */
export type MaskKind = 'attn' | 'mlp';

/** One mask module (one gate group): its kind, gradient metric and per-entry weights. */
export interface RankingModule {
  readonly kind: MaskKind;
  /** The gradient metric of every entry (accumulated or per-step ∂L/∂ζ). */
  readonly grad: ArrayLike<number>;
  /** Weight of every entry in the cumulative threshold (a number: the same for all). */
  readonly weights: ArrayLike<number> | number;
}

/** The outcome of one progressive update. */
export interface ProgressiveUpdate {
  /** New mask values per module: 1 (kept) or float32(1 − π/p) (pruned set). */
  readonly alphas: Float32Array[];
  /** 1 where the entry is in the pruned set, per module. */
  readonly pruned: Uint8Array[];
  /** The threshold on the z-scores. */
  readonly threshold: number;
  /** Σ weights of the pruned set / Σ weights. */
  readonly prunedWeightFraction: number;
}

/**
 * `(x − mean) / std` with the unbiased (n − 1) std. Degenerate inputs (n < 2 or std 0, where torch
 * would give NaN) map to all zeros, so nothing is preferred.
 */
export function zStandardize(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (n < 2) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  if (!(std > 0)) return out;
  for (let i = 0; i < n; i++) out[i] = ((values[i] as number) - mean) / std;
  return out;
}

/**
 * The value in `scores` where the cumulative weight, in descending score order, is closest to
 * `fraction · Σweights` (first index on equal distances). Ties in score are ordered by index, so
 * the result is deterministic; the official unstable sort only reorders ties of equal weight.
 */
export function cumulativeWeightThreshold(scores: Float64Array, weights: Float64Array, fraction: number): number {
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  let total = 0;
  for (const w of weights) total += w;
  const target = total * fraction;
  let cumulative = 0;
  let best = 0;
  let bestDistance = Infinity;
  order.forEach((index, position) => {
    cumulative += weights[index] as number;
    const distance = Math.abs(cumulative - target);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = position;
    }
  });
  return scores[order[best] as number] as number;
}

/** Flattens modules into one score vector (z per kind) and one weight vector, in module order. */
function unifiedScores(modules: readonly RankingModule[]): { scores: Float64Array; weights: Float64Array } {
  const z = new Map<MaskKind, Float64Array>();
  for (const kind of ['attn', 'mlp'] as const) {
    const values = modules.filter((m) => m.kind === kind).flatMap((m) => Array.from(m.grad));
    z.set(kind, zStandardize(values));
  }
  const total = modules.reduce((n, m) => n + m.grad.length, 0);
  const scores = new Float64Array(total);
  const weights = new Float64Array(total);
  const cursor = { attn: 0, mlp: 0 };
  let offset = 0;
  for (const m of modules) {
    const kindScores = z.get(m.kind) as Float64Array;
    for (let i = 0; i < m.grad.length; i++) {
      scores[offset + i] = kindScores[cursor[m.kind] + i] as number;
      weights[offset + i] = typeof m.weights === 'number' ? m.weights : (m.weights[i] as number);
    }
    cursor[m.kind] += m.grad.length;
    offset += m.grad.length;
  }
  return { scores, weights };
}

/**
 * One unified ranking + progressive update at compression ratio `pi` (π_t of `upopSchedule`) of
 * target `p`. Every module keeps at least its minimum-score entry. `p = 0` keeps everything.
 */
export function progressiveUpdate(modules: readonly RankingModule[], pi: number, p: number): ProgressiveUpdate {
  const { scores, weights } = unifiedScores(modules);
  const threshold = p > 0 && scores.length > 0 ? cumulativeWeightThreshold(scores, weights, pi) : Infinity;
  const prunedValue = p > 0 ? Math.fround(1 - pi / p) : 1;
  const alphas: Float32Array[] = [];
  const pruned: Uint8Array[] = [];
  let prunedWeight = 0;
  let totalWeight = 0;
  let offset = 0;
  for (const m of modules) {
    const n = m.grad.length;
    let min = Infinity;
    for (let i = 0; i < n; i++) min = Math.min(min, scores[offset + i] as number);
    const alpha = new Float32Array(n);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const s = scores[offset + i] as number;
      const keep = s <= threshold || s <= min;
      alpha[i] = keep ? 1 : prunedValue;
      out[i] = keep ? 0 : 1;
      totalWeight += weights[offset + i] as number;
      if (!keep) prunedWeight += weights[offset + i] as number;
    }
    alphas.push(alpha);
    pruned.push(out);
    offset += n;
  }
  return { alphas, pruned, threshold, prunedWeightFraction: totalWeight > 0 ? prunedWeight / totalWeight : 0 };
}

/** Whether the official loop runs an update at `step` (0-based): `step % interval == 0 or step == T − 1`. */
export function isUpdateStep(step: number, interval: number, totalSteps: number): boolean {
  return step % interval === 0 || step === totalSteps - 1;
}
