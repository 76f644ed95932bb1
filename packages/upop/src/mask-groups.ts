import { InvalidArgumentError, type Modality, type PrunableView } from '@vlp/core';
import type { MaskKind } from './ranking.js';

/** One UPop mask ζ: a gate group of the view whose entries are head-channels or neurons. */
export interface MaskGroup {
  /** Gate group name (`<block>.attn.channels`, `<block>.cross.channels`, `<block>.mlp`, ...). */
  readonly group: string;
  readonly kind: MaskKind;
  readonly modality: Modality;
  /** Structure id of every entry, by gate index. */
  readonly structures: readonly string[];
  /** Parameters every entry controls (`Structure.params`). */
  readonly params: Float64Array;
}

const KIND: Readonly<Record<string, MaskKind>> = { 'head-channel': 'attn', neuron: 'mlp' };

/**
 * The UPop masks of a view: every gate group of `head-channel` (→ attention) or `neuron` (→ MLP)
 * structures in `modalities`, attention groups first then MLP groups, each in the view's order (the
 * official concatenation order: vision attn, text attn, …, vision mlp, text mlp). Throws
 * `VLP_INVALID_ARGUMENT` when a group mixes kinds or misses a gate index.
 */
export function collectMaskGroups(view: Pick<PrunableView<unknown>, 'structures'>, modalities: readonly Modality[]): MaskGroup[] {
  const found = new Map<string, { kind: MaskKind; modality: Modality; entries: Map<number, { id: string; params: number }> }>();
  for (const s of view.structures) {
    const kind = KIND[s.kind];
    if (!kind || !modalities.includes(s.modality)) continue;
    let g = found.get(s.gate.group);
    if (!g) found.set(s.gate.group, (g = { kind, modality: s.modality, entries: new Map() }));
    if (g.kind !== kind) throw new InvalidArgumentError({ message: `Gate group "${s.gate.group}" mixes head-channel and neuron structures; fix the view's structure list.` });
    g.entries.set(s.gate.index, { id: s.id, params: s.params });
  }
  const groups: MaskGroup[] = [];
  for (const [group, g] of found) {
    const size = Math.max(...g.entries.keys()) + 1;
    if (g.entries.size !== size) {
      throw new InvalidArgumentError({ message: `Gate group "${group}" has structures for ${g.entries.size} of its ${size} indices; UPop needs one structure per gate entry.` });
    }
    const entries = Array.from({ length: size }, (_, i) => g.entries.get(i) as { id: string; params: number });
    groups.push({ group, kind: g.kind, modality: g.modality, structures: entries.map((e) => e.id), params: Float64Array.from(entries.map((e) => e.params)) });
  }
  return [...groups.filter((g) => g.kind === 'attn'), ...groups.filter((g) => g.kind === 'mlp')];
}
