import { type LayerwiseResult, hessianFromGram, pruneLayerwise, sparseGptPrune, wandaMask, wandaScores } from '@vlp/baselines';
import type { CalibrationSource, PrunableUnit, PrunableView, PruneContext } from '@vlp/core';
import type { CoarseResult } from './coarse.js';
import type { FineConfig } from './ecoflap-config.js';
import { pruneExactPerRow, pruneExactPerTensor, splitGroupBudget } from './unit-budget.js';

/** Per unit: the group's sparsity and the unit's exact share of the group's pruned count. */
export interface UnitTarget {
  readonly sparsity: number;
  readonly pruned: number;
}

/** Unit targets from stage 1: every group's pruned count `n_g − keep_g`, split over its units. */
export function unitTargets(coarse: Pick<CoarseResult, 'groups' | 'keep' | 'sparsity'>): Map<string, UnitTarget> {
  const out = new Map<string, UnitTarget>();
  coarse.groups.forEach((group, g) => {
    const numels = group.units.map((u) => u.shape[0] * u.shape[1]);
    const pruned = splitGroupBudget(Math.max(0, group.size - coarse.keep[g]), numels);
    group.units.forEach((u, i) => out.set(u.name, { sparsity: coarse.sparsity[g], pruned: pruned[i] }));
  });
  return out;
}

/** Wanda's comparison group for a unit: `auto` = per tensor for BLIP ViT units (official `VITLayerWandaPruner`), per row elsewhere. */
export function comparisonGroupOf(unit: PrunableUnit, architecture: string, setting: 'auto' | 'row' | 'tensor'): 'row' | 'tensor' {
  if (setting !== 'auto') return setting;
  return unit.modality === 'vision' && architecture.startsWith('blip') ? 'tensor' : 'row';
}

/**
 * Stage 2 (ECoFLaP §3.3): the layer-wise pruner block by block with each unit's target, through
 * `pruneLayerwise` of `@vlp/baselines`. With `sequential`, every block is calibrated on the outputs
 * of the already-pruned blocks: the view has no block-input cache, so each block costs one full
 * forward per calibration batch with the pruned units as weight overrides (O(blocks × batches)
 * forwards instead of the official O(batches) block forwards; same inputs, more compute).
 */
export async function finePrune<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  calibration: CalibrationSource<Batch>,
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
  options: { readonly fine: FineConfig; readonly sequential: boolean; readonly targets: ReadonlyMap<string, UnitTarget>; readonly onUnit?: () => void },
): Promise<LayerwiseResult> {
  const { fine, targets } = options;
  return pruneLayerwise(view, units, calibration, ctx, {
    statistic: fine.kind === 'wanda' ? 'input-sum-squares' : 'input-gram',
    tokens: fine.tokens,
    sequential: options.sequential,
    pruneUnit(unit, weight, statistic) {
      options.onUnit?.();
      const target = targets.get(unit.name)!;
      const numel = unit.shape[0] * unit.shape[1];
      if (fine.kind === 'sparsegpt') {
        // (k + 0.5)/numel makes sparseGptPrune's ⌊s·numel⌋ exactly k.
        const sparsity = (target.pruned + 0.5) / numel;
        const r = sparseGptPrune(weight, unit.shape, hessianFromGram(statistic.values, statistic.sequences), { sparsity, blockSize: fine.blockSize, dampening: fine.dampening });
        return { mask: r.mask, weight: r.weight, metrics: { reconstructionError: r.error } };
      }
      const scores = wandaScores(weight, statistic.values);
      if (comparisonGroupOf(unit, view.architecture, fine.comparisonGroup) === 'tensor') return { mask: pruneExactPerTensor(scores, target.pruned) };
      if (fine.rowRounding === 'floor') return { mask: wandaMask(scores, unit.shape, { sparsity: target.sparsity, comparisonGroup: 'row' }) };
      return { mask: pruneExactPerRow(scores, unit.shape, target.pruned) };
    },
  });
}
