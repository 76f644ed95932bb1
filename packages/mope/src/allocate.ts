/**
 * Budget of one MoPE run (width then depth, paper §3.2). Per encoder with L layers, depth removes
 * `k = round(depthShare · s · L)` layers (at most ⌊s·L⌋ and L − 1) and width removes the fraction
 * `w = (s − k/L) / (1 − k/L)` of every remaining layer, so the encoder loses ≈ s of its weights:
 * heads per attention `round(w·H)`, then MLP neuron groups fill the layer up to `w` of its weights.
 * Each attention keeps ≥ 1 head and each MLP ≥ 1 group; when these caps leave the encoder short of
 * s, one more layer at a time is removed while that brings it closer.
 */
import type { MopeModule } from './modules.js';

/** The removal counts of one run. */
export interface MopePlan {
  /** Modules to remove per width family (gate group). */
  readonly widthCounts: ReadonlyMap<string, number>;
  /** Layers to remove per encoder (modality). */
  readonly layerCounts: ReadonlyMap<string, number>;
  /** Width fraction per encoder. */
  readonly widthFraction: ReadonlyMap<string, number>;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/** Width counts of one block at fraction `w`: heads rounded, neuron groups filling the remainder. Returns the weights removed. */
function blockCounts(modules: readonly MopeModule[], w: number, counts: Map<string, number>): number {
  const families = groupBy(modules, (m) => m.family);
  const blockWeights = modules.reduce((sum, m) => sum + m.weights, 0);
  let removed = 0;
  for (const [family, members] of families) {
    if (members[0]?.kind !== 'head') continue;
    const n = Math.min(Math.round(w * members.length), members.length - 1);
    counts.set(family, n);
    removed += n * ((members[0] as MopeModule).weights);
  }
  for (const [family, members] of families) {
    if (members[0]?.kind !== 'neuron-group') continue;
    const perGroup = members.reduce((sum, m) => sum + m.weights, 0) / members.length;
    const want = Math.round(Math.max(0, w * blockWeights - removed) / perGroup);
    const n = Math.min(want, members.length - 1);
    counts.set(family, n);
    removed += n * perGroup;
  }
  return removed;
}

/** Width counts of an encoder's blocks at fraction `w`, and the fraction of its width weights they remove. */
function encoderWidth(blocks: readonly (readonly MopeModule[])[], w: number): { counts: Map<string, number>; fraction: number } {
  const counts = new Map<string, number>();
  let removed = 0;
  let total = 0;
  for (const block of blocks) {
    removed += blockCounts(block, w, counts);
    total += block.reduce((sum, m) => sum + m.weights, 0);
  }
  return { counts, fraction: total === 0 ? 0 : removed / total };
}

/**
 * The plan for `sparsity` over the width modules and layers in scope. When the keep-one caps stop
 * width short of its fraction, more layers are removed if that lands closer to `sparsity`.
 */
export function planRemoval(width: readonly MopeModule[], layers: readonly MopeModule[], sparsity: number, depthShare: number): MopePlan {
  const layerCounts = new Map<string, number>();
  const widthFraction = new Map<string, number>();
  const widthCounts = new Map<string, number>();
  const encoders = new Set([...width.map((m) => m.modality), ...layers.map((m) => m.modality)]);
  for (const encoder of encoders) {
    const L = layers.filter((m) => m.modality === encoder).length;
    const blocks = [...groupBy(width.filter((m) => m.modality === encoder), (m) => m.blockId).values()];
    const planned = L === 0 ? 0 : Math.max(0, Math.min(Math.round(depthShare * sparsity * L), Math.floor(sparsity * L), L - 1));
    let best: { k: number; w: number; counts: Map<string, number>; gap: number } | undefined;
    for (let k = planned; k <= Math.max(planned, L - 1); k++) {
      const w = L === 0 ? sparsity : Math.max(0, (sparsity - k / L) / (1 - k / L));
      const { counts, fraction } = encoderWidth(blocks, w);
      const achieved = L === 0 ? fraction : k / L + (1 - k / L) * fraction;
      const gap = Math.abs(achieved - sparsity);
      if (!best || gap < best.gap - 1e-12) best = { k, w, counts, gap };
      if (achieved >= sparsity) break;
    }
    const chosen = best as { k: number; w: number; counts: Map<string, number> };
    layerCounts.set(encoder, chosen.k);
    widthFraction.set(encoder, chosen.w);
    for (const [family, n] of chosen.counts) widthCounts.set(family, n);
  }
  return { widthCounts, layerCounts, widthFraction };
}
