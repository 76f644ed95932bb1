/**
 * Budget of one MoPE run (width then depth, paper §3.2).
 *
 * **Encoders.** Modules are planned per encoder: the layers of one modality and every width module
 * in their blocks — a block's cross-attention heads (BLIP `fusion`) belong to the encoder of the layer
 * that holds them, because removing that layer removes them too. Width modules in blocks without a
 * layer in scope form an encoder of their own modality (no depth).
 *
 * **Plan** ({@link planRemoval}). Per encoder with L layers, depth removes
 * `k = round(depthShare · s · L)` layers (at most ⌊s·L⌋ and L − 1) and width removes the fraction
 * `w = (s − k/L) / (1 − k/L)` of every remaining layer: heads per attention `round(w·H)`, then MLP
 * neuron groups fill the layer up to `w` of its weights. Each attention keeps ≥ 1 head and each MLP
 * ≥ 1 group; when these caps leave the encoder short of s, one more layer at a time is removed while
 * that brings it closer.
 *
 * **Fit** ({@link fitRemoval}, after MoPE chose the modules). The plan counts layers as equal; the
 * realised removal is measured in weights: an encoder's total is the weights of its layers (every
 * unit in their blocks) plus its layer-less width modules, and its removal is the weights of the
 * removed layers plus the width modules removed in kept layers. Layers are taken lowest MoPE first,
 * skipping one whose removal would take the removed layers alone past the target; then width removals in kept layers are restored (highest MoPE first) or added (lowest MoPE first,
 * keep-one caps respected) one module at a time while that brings the removal closer to `s · total`.
 * So the removed fraction of each encoder ends within half a width module of `s` whenever width
 * modules remain to adjust (the rule the tests check).
 */
import type { MopeModule } from './modules.js';

/** The removal counts of one run. */
export interface MopePlan {
  /** Modules to remove per width family (gate group). */
  readonly widthCounts: ReadonlyMap<string, number>;
  /** Layers to remove per encoder (modality of the layers). */
  readonly layerCounts: ReadonlyMap<string, number>;
  /** Width fraction per encoder. */
  readonly widthFraction: ReadonlyMap<string, number>;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/** The encoder of every module: a layer's modality; a width module's layer's modality, else its own. */
export function encoderOf(layers: readonly MopeModule[]): (m: MopeModule) => string {
  const layerByBlock = new Map(layers.map((l) => [l.blockId, l]));
  return (m) => (m.kind === 'layer' ? m.modality : (layerByBlock.get(m.blockId)?.modality ?? m.modality));
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
    removed += n * (members[0] as MopeModule).weights;
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
  const encoder = encoderOf(layers);
  const encoders = new Set([...width.map(encoder), ...layers.map(encoder)]);
  for (const enc of encoders) {
    const L = layers.filter((m) => encoder(m) === enc).length;
    const blocks = [...groupBy(width.filter((m) => encoder(m) === enc), (m) => m.blockId).values()];
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
    layerCounts.set(enc, chosen.k);
    widthFraction.set(enc, chosen.w);
    for (const [family, n] of chosen.counts) widthCounts.set(family, n);
  }
  return { widthCounts, layerCounts, widthFraction };
}

/** The width modules to remove: `counts` per family, lowest score first (ties: the earlier module). */
export function selectWidth(width: readonly MopeModule[], scores: ArrayLike<number>, counts: ReadonlyMap<string, number>): MopeModule[] {
  const removed: MopeModule[] = [];
  for (const [family, count] of counts) {
    const members = width.map((_, i) => i).filter((i) => (width[i] as MopeModule).family === family);
    for (const i of ascending(scores, members).slice(0, Math.max(0, count))) removed.push(width[i] as MopeModule);
  }
  return removed;
}

/** Indices of `values` sorted ascending (ties: the lower index first). */
function ascending(values: ArrayLike<number>, indices: readonly number[]): number[] {
  return [...indices].sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
}

/**
 * The layers to remove in each encoder: `counts` per encoder, lowest MoPE first, skipping a layer
 * whose removal would take the removed layers past `sparsity · total`.
 */
export function selectLayers(width: readonly MopeModule[], layers: readonly MopeModule[], errors: ArrayLike<number>, counts: ReadonlyMap<string, number>, sparsity: number): MopeModule[] {
  const encoder = encoderOf(layers);
  const removed: MopeModule[] = [];
  for (const [enc, count] of counts) {
    const target = sparsity * encoderWeights(width, layers, enc, encoder);
    let taken = 0;
    let weights = 0;
    for (const i of ascending(errors, layers.map((_, j) => j).filter((j) => encoder(layers[j] as MopeModule) === enc))) {
      if (taken >= count) break;
      const layer = layers[i] as MopeModule;
      if (weights + layer.weights > target * (1 + 1e-9)) continue;
      removed.push(layer);
      weights += layer.weights;
      taken++;
    }
  }
  return removed;
}

/** Total weights of encoder `enc`: its layers plus its width modules in blocks without a layer. */
function encoderWeights(width: readonly MopeModule[], layers: readonly MopeModule[], enc: string, encoder: (m: MopeModule) => string): number {
  const layerBlocks = new Set(layers.map((l) => l.blockId));
  const layerWeights = layers.filter((l) => encoder(l) === enc).reduce((s, l) => s + l.weights, 0);
  return layerWeights + width.filter((m) => encoder(m) === enc && !layerBlocks.has(m.blockId)).reduce((s, m) => s + m.weights, 0);
}

/**
 * The width modules to remove after the fit (see the file comment): starting from `widthRemoved`,
 * drops those in removed layers, then per encoder restores (highest MoPE first) or adds (lowest MoPE
 * first, leaving ≥ 1 module per family) width modules in kept layers, one at a time while that
 * brings the encoder's removed weights closer to `sparsity · total`.
 */
export function fitRemoval(
  width: readonly MopeModule[],
  widthErrors: ArrayLike<number>,
  widthRemoved: readonly MopeModule[],
  layers: readonly MopeModule[],
  layersRemoved: readonly MopeModule[],
  sparsity: number,
): MopeModule[] {
  const encoder = encoderOf(layers);
  const gone = new Set(layersRemoved.map((l) => l.blockId));
  const removed = new Set(widthRemoved.filter((m) => !gone.has(m.blockId)));
  const familySize = new Map<string, number>();
  for (const m of width) familySize.set(m.family, (familySize.get(m.family) ?? 0) + 1);
  const removedInFamily = new Map<string, number>();
  for (const m of removed) removedInFamily.set(m.family, (removedInFamily.get(m.family) ?? 0) + 1);
  const encoders = new Set([...width.map(encoder), ...layers.map(encoder)]);
  for (const enc of encoders) {
    const target = sparsity * encoderWeights(width, layers, enc, encoder);
    let current = layersRemoved.filter((l) => encoder(l) === enc).reduce((s, l) => s + l.weights, 0);
    const live = width.map((_, i) => i).filter((i) => encoder(width[i] as MopeModule) === enc && !gone.has((width[i] as MopeModule).blockId));
    for (const i of live) if (removed.has(width[i] as MopeModule)) current += (width[i] as MopeModule).weights;
    const order = ascending(widthErrors, live);
    if (current > target) {
      for (const i of order.reverse()) {
        const m = width[i] as MopeModule;
        if (!removed.has(m) || Math.abs(current - m.weights - target) >= Math.abs(current - target)) continue;
        removed.delete(m);
        removedInFamily.set(m.family, (removedInFamily.get(m.family) ?? 0) - 1);
        current -= m.weights;
      }
    } else {
      for (const i of order) {
        const m = width[i] as MopeModule;
        if (removed.has(m) || (removedInFamily.get(m.family) ?? 0) + 1 >= (familySize.get(m.family) ?? 0)) continue;
        if (Math.abs(current + m.weights - target) >= Math.abs(current - target)) continue;
        removed.add(m);
        removedInFamily.set(m.family, (removedInFamily.get(m.family) ?? 0) + 1);
        current += m.weights;
      }
    }
  }
  return width.filter((m) => removed.has(m));
}
