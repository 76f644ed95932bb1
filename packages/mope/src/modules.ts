import type { Modality, PrunableUnit, PrunableView, Structure } from '@vlp/core';
import type { MopeConfig } from './mope-config.js';

/** Kind of a MoPE module (paper §3): an attention head, a group of MLP neurons, a whole layer. */
export type MopeModuleKind = 'head' | 'neuron-group' | 'layer';

/**
 * One module θ of MoPE: the structures removed together, all multiplied by gates of one `group`.
 * `family` is the gate group for width modules (heads of one attention, neuron groups of one MLP:
 * the set the per-layer width target applies to) and the encoder (modality) for layers.
 */
export interface MopeModule {
  readonly id: string;
  readonly kind: MopeModuleKind;
  readonly modality: Modality;
  readonly blockId: string;
  readonly family: string;
  readonly group: string;
  readonly indices: readonly number[];
  readonly structures: readonly Structure[];
  /** Unit weights (elements) its structures own, counted once per (unit, row/column). */
  readonly weights: number;
}

/** Weight elements owned by `structures` (slices counted by rows × columns of their unit). */
export function ownedWeights(structures: readonly Structure[], units: ReadonlyMap<string, PrunableUnit>): number {
  let total = 0;
  for (const s of structures) {
    for (const slice of s.slices) {
      const unit = units.get(slice.unit);
      if (unit) total += slice.indices.length * (slice.axis === 'out' ? unit.shape[1] : unit.shape[0]);
    }
  }
  return total;
}

function neuronChunks(neurons: Structure[], grouping: MopeConfig['neuronGroups']): Structure[][] {
  const size = grouping.kind === 'size' ? grouping.size : Math.ceil(neurons.length / Math.min(grouping.count, neurons.length));
  const chunks: Structure[][] = [];
  for (let i = 0; i < neurons.length; i += size) chunks.push(neurons.slice(i, i + size));
  return chunks;
}

function moduleOf(kind: MopeModuleKind, id: string, family: string, structures: Structure[], units: ReadonlyMap<string, PrunableUnit>): MopeModule {
  const first = structures[0] as Structure;
  return {
    id,
    kind,
    modality: first.modality,
    blockId: first.blockId,
    family,
    group: first.gate.group,
    indices: structures.map((s) => s.gate.index),
    structures,
    weights: ownedWeights(structures, units),
  };
}

/**
 * The MoPE modules of `view` in `modalities`, in the view's structure order: every `head`
 * structure, the `neuron` structures of each MLP chunked by gate index (`neuronGroups`), and every
 * `layer` whose units are all in `modalities` (a BLIP text layer holds cross-attention units of
 * modality `fusion`: it is a module only when `fusion` is in scope too). `head-channel` structures
 * are not MoPE modules.
 */
export function mopeModules(view: PrunableView<unknown>, modalities: readonly Modality[], grouping: MopeConfig['neuronGroups']) {
  const units = new Map(view.units.map((u) => [u.name, u]));
  const inScope = view.structures.filter((s) => modalities.includes(s.modality));
  const width: MopeModule[] = [];
  const layers: MopeModule[] = [];
  const neuronsByGroup = new Map<string, Structure[]>();
  for (const s of inScope) {
    if (s.kind === 'head') width.push(moduleOf('head', s.id, s.gate.group, [s], units));
    else if (s.kind === 'layer' && s.slices.every((slice) => modalities.includes(units.get(slice.unit)?.modality ?? s.modality))) layers.push(moduleOf('layer', s.id, s.modality, [s], units));
    else if (s.kind === 'neuron') neuronsByGroup.set(s.gate.group, [...(neuronsByGroup.get(s.gate.group) ?? []), s]);
  }
  for (const [group, neurons] of neuronsByGroup) {
    neurons.sort((a, b) => a.gate.index - b.gate.index);
    neuronChunks(neurons, grouping).forEach((chunk, g) => width.push(moduleOf('neuron-group', `${group}.group.${g}`, group, chunk, units)));
  }
  return { width, layers };
}

/** Every gate group of the view with its size (max index + 1), so each run feeds the same inputs. */
export function gateGroupSizes(view: PrunableView<unknown>): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const s of view.structures) sizes.set(s.gate.group, Math.max(sizes.get(s.gate.group) ?? 0, s.gate.index + 1));
  return sizes;
}
