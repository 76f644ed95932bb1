/**
 * MoPE kernel (Lin et al., CVPR 2024, §3.1, eq. 1): the module-wise pruning error
 *
 *   MoPE_θ = Z[f_φ] − Z[f_{φ−θ}],
 *
 * the drop of a task metric Z (mean R@1 for retrieval, top-1 for zero-shot classification) when
 * module θ is removed. Removal is a gate configuration (θ's gates set to 0 on top of `base`), so
 * one evaluator — one cached ONNX session — serves every module. Cost: one evaluation per module plus
 * one for `base` (or one per module without the cache). Pure with respect to the metric: no I/O, no
 * config parsing; the metric is deterministic, so cached and uncached MoPE are identical.
 */
import { type Emit, throwIfAborted } from '@vlp/core';
import { type GateValues, gateKey, withClosed } from './gates.js';
import type { MopeModule } from './modules.js';

/** Z as a function of the gates: the task metric of the model with those gates. */
export type GatedMetric = (gates: GateValues) => Promise<number>;

/** Evaluation statistics of a {@link CountingMetric}. */
export interface MetricStats {
  /** Evaluations actually run (cache misses). */
  evaluations: number;
  /** Requests answered from the cache. */
  cacheHits: number;
  /** Wall time of the evaluations, milliseconds. */
  milliseconds: number;
}

/** A {@link GatedMetric} that counts and times its evaluations. */
export type CountingMetric = GatedMetric & { readonly stats: MetricStats };

/**
 * Wraps `metric` with counters and, when `cache` is true, a memo keyed by the gate configuration
 * ({@link gateKey}), so Z[f] and the width-pruned baseline are evaluated once.
 */
export function countingMetric(metric: GatedMetric, cache: boolean): CountingMetric {
  const memo = new Map<string, number>();
  const stats: MetricStats = { evaluations: 0, cacheHits: 0, milliseconds: 0 };
  const wrapped = async (gates: GateValues): Promise<number> => {
    const key = cache ? gateKey(gates) : '';
    if (cache && memo.has(key)) {
      stats.cacheHits++;
      return memo.get(key) as number;
    }
    const started = performance.now();
    const value = await metric(gates);
    stats.milliseconds += performance.now() - started;
    stats.evaluations++;
    if (cache) memo.set(key, value);
    return value;
  };
  return Object.assign(wrapped, { stats });
}

/** Options of {@link moduleWisePruningErrors}. */
export interface MopeOptions {
  readonly signal?: AbortSignal;
  /** Receives `unit-score-start` / `unit-score-end` per module (`unit` = module id). */
  readonly emit?: Emit;
}

/**
 * MoPE of each module relative to `base`: `Z[base] − Z[base with θ's gates closed]` (eq. 1).
 * Z[base] is requested once per module, so a caching metric evaluates it once. Abort is checked
 * before each module. Returns one value per module, in order (float64).
 */
export async function moduleWisePruningErrors(metric: GatedMetric, base: GateValues, modules: readonly MopeModule[], options: MopeOptions = {}): Promise<Float64Array> {
  const errors = new Float64Array(modules.length);
  for (const [index, module] of modules.entries()) {
    throwIfAborted(options.signal, `MoPE of ${module.id}`);
    options.emit?.({ type: 'unit-score-start', unit: module.id, index, total: modules.length });
    const dense = await metric(base);
    errors[index] = dense - (await metric(withClosed(base, module.group, module.indices)));
    options.emit?.({ type: 'unit-score-end', unit: module.id, index, total: modules.length });
  }
  return errors;
}

/**
 * Indices of the `count` modules to remove: the lowest MoPE first (the paper keeps the largest);
 * ties remove the earlier module. `count` is clamped to `[0, values.length]`.
 */
export function lowestMope(values: ArrayLike<number>, count: number): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
  return order.slice(0, Math.max(0, Math.min(count, values.length)));
}
