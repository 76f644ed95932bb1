import type { Modality, PrunableUnit, Structure, UnitRole } from '@vlp/core';
import type { SyntheticDims } from './dims.js';

/** The two towers of the synthetic model. */
export const TOWERS = ['vision', 'text'] as const satisfies readonly Modality[];
/** `vision` or `text`. */
export type Tower = (typeof TOWERS)[number];

/** The prunable linears of one block, in forward order. */
export const BLOCK_ROLES = ['attn.q', 'attn.k', 'attn.v', 'attn.out', 'mlp.fc1', 'mlp.fc2'] as const satisfies readonly UnitRole[];
/** A role of {@link BLOCK_ROLES}. */
export type BlockRole = (typeof BLOCK_ROLES)[number];

const SUFFIX: Record<BlockRole, string> = {
  'attn.q': 'self_attn.q_proj',
  'attn.k': 'self_attn.k_proj',
  'attn.v': 'self_attn.v_proj',
  'attn.out': 'self_attn.out_proj',
  'mlp.fc1': 'mlp.fc1',
  'mlp.fc2': 'mlp.fc2',
};

/** HF-style canonical name: `vision_model.encoder.layers.0.self_attn.q_proj.weight`. */
export function unitName(tower: Tower, block: number, role: BlockRole): string {
  return `${tower}_model.encoder.layers.${block}.${SUFFIX[role]}.weight`;
}

/** The bias belonging to a unit's weight. */
export const biasName = (unit: string): string => unit.replace(/\.weight$/, '.bias');

/** Gate group of a block's heads, `<tower>.<block>.attn.heads` (size `heads`). */
export const headGroup = (tower: Tower, block: number) => `${tower}.${block}.attn.heads`;
/** Gate group of a block's MLP neurons, `<tower>.<block>.mlp.neurons` (size `mlp`). */
export const neuronGroup = (tower: Tower, block: number) => `${tower}.${block}.mlp.neurons`;
/** Gate group of a tower's layers, `<tower>.layers` (size `blocks`). */
export const layerGroup = (tower: Tower) => `${tower}.layers`;

/** `[out, in]` of a role. */
export function roleShape(role: BlockRole, dims: SyntheticDims): [number, number] {
  if (role === 'mlp.fc1') return [dims.mlp, dims.hidden];
  if (role === 'mlp.fc2') return [dims.hidden, dims.mlp];
  return [dims.hidden, dims.hidden];
}

/** Every unit: per tower, per block, the six linears. */
export function syntheticUnits(dims: SyntheticDims): PrunableUnit[] {
  return TOWERS.flatMap((tower) =>
    Array.from({ length: dims.blocks }, (_, block) =>
      BLOCK_ROLES.map<PrunableUnit>((role) => ({
        name: unitName(tower, block, role),
        modality: tower,
        blockId: `${tower}.${block}`,
        block,
        role,
        shape: roleShape(role, dims),
      })),
    ).flat(),
  );
}

const range = (start: number, length: number) => Array.from({ length }, (_, i) => start + i);

function blockStructures(tower: Tower, block: number, dims: SyntheticDims): Structure[] {
  const { hidden: d, heads, mlp } = dims;
  const hd = d / heads;
  const blockId = `${tower}.${block}`;
  const name = (role: BlockRole) => unitName(tower, block, role);
  const headStructures = range(0, heads).map<Structure>((h) => ({
    id: `${blockId}.attn.head.${h}`,
    kind: 'head',
    modality: tower,
    blockId,
    gate: { group: headGroup(tower, block), index: h },
    slices: [
      ...(['attn.q', 'attn.k', 'attn.v'] as const).map((role) => ({ unit: name(role), axis: 'out' as const, indices: range(h * hd, hd) })),
      { unit: name('attn.out'), axis: 'in', indices: range(h * hd, hd) },
    ],
    params: 3 * (hd * d + hd) + d * hd,
  }));
  const neurons = range(0, mlp).map<Structure>((j) => ({
    id: `${blockId}.mlp.neuron.${j}`,
    kind: 'neuron',
    modality: tower,
    blockId,
    gate: { group: neuronGroup(tower, block), index: j },
    slices: [
      { unit: name('mlp.fc1'), axis: 'out', indices: [j] },
      { unit: name('mlp.fc2'), axis: 'in', indices: [j] },
    ],
    params: d + 1 + d,
  }));
  const layer: Structure = {
    id: `${blockId}.layer`,
    kind: 'layer',
    modality: tower,
    blockId,
    gate: { group: layerGroup(tower), index: block },
    slices: BLOCK_ROLES.map((role) => ({ unit: name(role), axis: 'out', indices: range(0, roleShape(role, dims)[0]) })),
    params: BLOCK_ROLES.reduce((n, role) => n + roleShape(role, dims)[0] * (roleShape(role, dims)[1] + 1), 0),
  };
  return [...headStructures, ...neurons, layer];
}

/**
 * Every structure: attention heads (rows of q/k/v, columns of out), MLP neurons (a row of fc1, a
 * column of fc2) and whole layers (every row of the block's units; biases stay, see the README).
 */
export function syntheticStructures(dims: SyntheticDims): Structure[] {
  return TOWERS.flatMap((tower) => range(0, dims.blocks).flatMap((block) => blockStructures(tower, block, dims)));
}

/** Size of every gate group. */
export function gateGroupSizes(dims: SyntheticDims): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const tower of TOWERS) {
    sizes.set(layerGroup(tower), dims.blocks);
    for (let b = 0; b < dims.blocks; b++) {
      sizes.set(headGroup(tower, b), dims.heads);
      sizes.set(neuronGroup(tower, b), dims.mlp);
    }
  }
  return sizes;
}
