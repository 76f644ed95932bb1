import { InvalidArgumentError, type Structure, type StructureMask } from '@vlp/core';

/** What to remove in one block, from a structure mask. */
export interface BlockRemoval {
  readonly heads: Set<number>;
  readonly channels: Set<number>;
  readonly crossHeads: Set<number>;
  readonly crossChannels: Set<number>;
  readonly neurons: Set<number>;
  layer: boolean;
}

/** Groups the removed structures by block id (`vision.3`, `text.0`, ...). */
export function planRemoval(structures: readonly Structure[], mask: StructureMask): Map<string, BlockRemoval> {
  const byId = new Map(structures.map((s) => [s.id, s]));
  const plan = new Map<string, BlockRemoval>();
  for (const id of mask.removed) {
    const s = byId.get(id);
    if (!s) throw new InvalidArgumentError({ message: `Structure "${id}" does not exist in this model (e.g. ${structures[0]?.id}).` });
    let block = plan.get(s.blockId);
    if (!block) {
      block = { heads: new Set(), channels: new Set(), crossHeads: new Set(), crossChannels: new Set(), neurons: new Set(), layer: false };
      plan.set(s.blockId, block);
    }
    const cross = s.gate.group.includes('.cross.');
    if (s.kind === 'head') (cross ? block.crossHeads : block.heads).add(s.gate.index);
    else if (s.kind === 'head-channel') (cross ? block.crossChannels : block.channels).add(s.gate.index);
    else if (s.kind === 'neuron') block.neurons.add(s.gate.index);
    else block.layer = true;
  }
  return plan;
}

/** Kept indices of 0..n−1. */
export function keptIndices(n: number, removed: ReadonlySet<number>): number[] {
  return Array.from({ length: n }, (_, i) => i).filter((i) => !removed.has(i));
}

/** Gate vectors (1 kept, 0 removed) equivalent to a structure mask, for gated-vs-compacted checks. */
export function gatesForMask(structures: readonly Structure[], mask: StructureMask): Map<string, Float32Array> {
  const sizes = new Map<string, number>();
  for (const s of structures) sizes.set(s.gate.group, Math.max(sizes.get(s.gate.group) ?? 0, s.gate.index + 1));
  const gates = new Map<string, Float32Array>();
  for (const [group, size] of sizes) gates.set(group, new Float32Array(size).fill(1));
  const byId = new Map(structures.map((s) => [s.id, s]));
  for (const id of mask.removed) {
    const s = byId.get(id);
    if (s) (gates.get(s.gate.group) as Float32Array)[s.gate.index] = 0;
  }
  return gates;
}
