import * as tf from '@tensorflow/tfjs';
import type { CalibrationSource, PrunableUnit, PrunableView, PruneContext } from '@vlp/core';
import {
  type InputStatistic,
  type InputStatisticKind,
  type TokenSelection,
  collectInputStatistics,
} from './collect-input-statistics.js';
import { readWeight } from './read-weight.js';

/** What a layer-wise kernel returns for one unit. */
export interface LayerwiseUnitResult {
  /** 1 keeps, 0 prunes; row-major over `[out, in]`. */
  readonly mask: Uint8Array;
  /** Updated surviving weights (SparseGPT), pruned entries already zero. */
  readonly weight?: Float32Array;
  /** Numbers summed over units into the result's metrics (e.g. `reconstructionError`). */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** Options of {@link pruneLayerwise}. */
export interface LayerwiseOptions {
  /** The tap each unit needs. */
  readonly statistic: InputStatisticKind;
  readonly tokens: TokenSelection;
  /**
   * `true`: blocks are pruned one after another (in the view's unit order) and each block is
   * calibrated on the outputs of the already-pruned blocks before it, as the official Wanda and
   * SparseGPT drivers do. `false`: one calibration pass of the dense model for every unit.
   */
  readonly sequential: boolean;
  /** The layer-wise kernel: the unit, a private copy of its weight and its summed statistic. */
  pruneUnit(unit: PrunableUnit, weight: Float32Array, statistic: InputStatistic): LayerwiseUnitResult;
}

/** Masks, updated weights, summed metrics and timings of a layer-wise run. */
export interface LayerwiseResult {
  readonly masks: Map<string, Uint8Array>;
  readonly weights: Map<string, Float32Array>;
  readonly metrics: Record<string, number>;
  readonly timings: { calibration: number; scoring: number };
}

/** Units grouped by `blockId`, groups in order of first appearance. */
export function groupByBlock(units: readonly PrunableUnit[]): PrunableUnit[][] {
  const groups = new Map<string, PrunableUnit[]>();
  for (const unit of units) {
    const group = groups.get(unit.blockId) ?? [];
    if (group.length === 0) groups.set(unit.blockId, group);
    group.push(unit);
  }
  return [...groups.values()];
}

function prunedWeight(weight: Float32Array, result: LayerwiseUnitResult): Float32Array {
  const out = Float32Array.from(result.weight ?? weight);
  for (let i = 0; i < out.length; i++) if (result.mask[i] === 0) out[i] = 0;
  return out;
}

/**
 * The lifecycle shared by Wanda and SparseGPT (and by methods that compose their kernels):
 * 1. split the units into calibration groups (one per block when `sequential`, else one group);
 * 2. per group, run the calibration batches with one tap per unit (`collectInputStatistics`),
 *    overriding the weights of the already-pruned units when `sequential`;
 * 3. per unit (`unit-score-start`/`-end`, abort checked), read its weight and call `pruneUnit`.
 * Every tensor it creates is disposed before it returns or throws.
 */
export async function pruneLayerwise<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  calibration: CalibrationSource<Batch>,
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
  options: LayerwiseOptions,
): Promise<LayerwiseResult> {
  const groups = options.sequential ? groupByBlock(units) : [[...units]];
  const masks = new Map<string, Uint8Array>();
  const weights = new Map<string, Float32Array>();
  const metrics: Record<string, number> = {};
  const overrides: Record<string, tf.Tensor2D> = {};
  const timings = { calibration: 0, scoring: 0 };
  let index = 0;
  try {
    for (const [g, group] of groups.entries()) {
      let started = performance.now();
      const statistics = await collectInputStatistics(view, group, calibration, ctx, {
        kind: options.statistic,
        tokens: options.tokens,
        weights: Object.keys(overrides).length > 0 ? overrides : undefined,
      });
      timings.calibration += performance.now() - started;
      started = performance.now();
      for (const unit of group) {
        const weight = await readWeight(view, unit, ctx.signal);
        ctx.emit({ type: 'unit-score-start', unit: unit.name, index, total: units.length });
        const result = options.pruneUnit(unit, weight, statistics.get(unit.name)!);
        masks.set(unit.name, result.mask);
        if (result.weight) weights.set(unit.name, result.weight);
        for (const [key, value] of Object.entries(result.metrics ?? {})) metrics[key] = (metrics[key] ?? 0) + value;
        if (options.sequential && g < groups.length - 1) overrides[unit.name] = tf.tensor2d(prunedWeight(weight, result), [...unit.shape]);
        ctx.emit({ type: 'unit-score-end', unit: unit.name, index, total: units.length });
        index++;
      }
      timings.scoring += performance.now() - started;
    }
  } finally {
    tf.dispose(Object.values(overrides));
  }
  return { masks, weights, metrics, timings };
}
