import type { Modality, PrunableUnit, Structure, StructureSlice, UnitRole } from '@vlp/core';
import type { AttentionShape } from '../ops/transformer-blocks.js';

/** Unit names of one self- or cross-attention module with separate q/k/v/out linears. */
export interface AttentionUnits {
  readonly q: string;
  readonly k: string;
  readonly v: string;
  readonly out: string;
  /** Input widths: q's input (the hidden size) and k/v's input (the hidden or encoder size). */
  readonly queryIn: number;
  readonly keyValueIn: number;
  /** Output width of `out` (the hidden size). */
  readonly hidden: number;
}

const range = (start: number, count: number, step = 1) => Array.from({ length: count }, (_, i) => start + i * step);

/** Units of an attention module: q/k/v `[H·d, in]`, out `[hidden, H·d]`. */
export function attentionUnits(a: AttentionUnits, shape: AttentionShape, modality: Modality, blockId: string, block: number, kind: 'attn' | 'cross'): PrunableUnit[] {
  const inner = shape.heads * shape.headDim;
  const unit = (name: string, role: UnitRole, out: number, inp: number): PrunableUnit => ({ name, modality, blockId, block, role, shape: [out, inp] });
  return [
    unit(a.q, `${kind}.q`, inner, a.queryIn),
    unit(a.k, `${kind}.k`, inner, a.keyValueIn),
    unit(a.v, `${kind}.v`, inner, a.keyValueIn),
    unit(a.out, `${kind}.out`, a.hidden, inner),
  ];
}

/** Head h and channel c structures over `slicesFor(rows)`, where `rows` are the q rows they own. */
function headAndChannelStructures(
  slicesFor: (rows: number[]) => StructureSlice[],
  paramsPerRow: number,
  shape: AttentionShape,
  modality: Modality,
  blockId: string,
  gatePrefix: string,
  kind: 'attn' | 'cross',
): Structure[] {
  const { heads, headDim: d } = shape;
  const out: Structure[] = [];
  for (let h = 0; h < heads; h++) {
    out.push({
      id: `${gatePrefix}.${kind}.head.${h}`,
      kind: 'head',
      modality,
      blockId,
      gate: { group: `${gatePrefix}.${kind}.heads`, index: h },
      slices: slicesFor(range(h * d, d)),
      params: d * paramsPerRow,
    });
  }
  for (let c = 0; c < d; c++) {
    out.push({
      id: `${gatePrefix}.${kind}.channel.${c}`,
      kind: 'head-channel',
      modality,
      blockId,
      gate: { group: `${gatePrefix}.${kind}.channels`, index: c },
      slices: slicesFor(range(c, heads, d)),
      params: heads * paramsPerRow,
    });
  }
  return out;
}

/**
 * Head and per-head-channel structures of an attention module. A head owns its rows of q, k, v
 * (and their biases) and its columns of out; channel c owns row `h·d + c` of q/k/v and that column
 * of out in every head h (UPop's channels shared across heads).
 */
export function attentionStructures(a: AttentionUnits, shape: AttentionShape, modality: Modality, blockId: string, gatePrefix: string, kind: 'attn' | 'cross'): Structure[] {
  const slicesFor = (rows: number[]): StructureSlice[] => [
    { unit: a.q, axis: 'out', indices: rows },
    { unit: a.k, axis: 'out', indices: rows },
    { unit: a.v, axis: 'out', indices: rows },
    { unit: a.out, axis: 'in', indices: rows },
  ];
  const paramsPerRow = a.queryIn + 1 + 2 * (a.keyValueIn + 1) + a.hidden;
  return headAndChannelStructures(slicesFor, paramsPerRow, shape, modality, blockId, gatePrefix, kind);
}

/** Unit names of a self-attention module with ONE fused q|k|v linear (BLIP vision `qkv`, then `projection`). */
export interface FusedAttentionUnits {
  /** `[3·H·d, hidden]`: rows `0..H·d−1` are q, `H·d..2·H·d−1` k, `2·H·d..` v. */
  readonly qkv: string;
  /** `[hidden, H·d]`. */
  readonly out: string;
  readonly hidden: number;
}

/** Units of a fused attention module: qkv (role `attn.qkv`) `[3·H·d, hidden]`, out (`attn.out`) `[hidden, H·d]`. */
export function fusedAttentionUnits(a: FusedAttentionUnits, shape: AttentionShape, modality: Modality, blockId: string, block: number): PrunableUnit[] {
  const inner = shape.heads * shape.headDim;
  return [
    { name: a.qkv, modality, blockId, block, role: 'attn.qkv', shape: [3 * inner, a.hidden] },
    { name: a.out, modality, blockId, block, role: 'attn.out', shape: [a.hidden, inner] },
  ];
}

/**
 * Rows of a fused q|k|v weight owned by the q rows `rows`: the same offsets in the q block, the k
 * block (`+ H·d`) and the v block (`+ 2·H·d`), in that order.
 */
export function fusedQkvRows(rows: readonly number[], inner: number): number[] {
  return [0, 1, 2].flatMap((j) => rows.map((r) => j * inner + r));
}

/**
 * Head and per-head-channel structures of a fused attention module: head h owns rows `h·d..` of
 * the q, k and v blocks of `qkv` ({@link fusedQkvRows}) and columns `h·d..` of out; channel c owns
 * row `h·d + c` of each block and that column of out in every head h. Gates as for
 * {@link attentionStructures} (`<gatePrefix>.attn.heads`, `.attn.channels`).
 */
export function fusedAttentionStructures(a: FusedAttentionUnits, shape: AttentionShape, modality: Modality, blockId: string, gatePrefix: string): Structure[] {
  const inner = shape.heads * shape.headDim;
  const slicesFor = (rows: number[]): StructureSlice[] => [
    { unit: a.qkv, axis: 'out', indices: fusedQkvRows(rows, inner) },
    { unit: a.out, axis: 'in', indices: rows },
  ];
  return headAndChannelStructures(slicesFor, 3 * (a.hidden + 1) + a.hidden, shape, modality, blockId, gatePrefix, 'attn');
}

/** MLP units fc1 `[mlp, hidden]`, fc2 `[hidden, mlp]`. */
export function mlpUnits(fc1: string, fc2: string, hidden: number, mlp: number, modality: Modality, blockId: string, block: number): PrunableUnit[] {
  return [
    { name: fc1, modality, blockId, block, role: 'mlp.fc1', shape: [mlp, hidden] },
    { name: fc2, modality, blockId, block, role: 'mlp.fc2', shape: [hidden, mlp] },
  ];
}

/** Neuron n owns row n of fc1 (and its bias) and column n of fc2. */
export function neuronStructures(fc1: string, fc2: string, hidden: number, mlp: number, modality: Modality, blockId: string, gatePrefix: string): Structure[] {
  return Array.from({ length: mlp }, (_, n) => ({
    id: `${gatePrefix}.mlp.neuron.${n}`,
    kind: 'neuron' as const,
    modality,
    blockId,
    gate: { group: `${gatePrefix}.mlp`, index: n },
    slices: [
      { unit: fc1, axis: 'out' as const, indices: [n] },
      { unit: fc2, axis: 'in' as const, indices: [n] },
    ],
    params: 2 * hidden + 1,
  }));
}

/** The whole block: every row of every unit in it. `params` counts all block parameters. */
export function layerStructure(units: readonly PrunableUnit[], modality: Modality, blockId: string, gatePrefix: string, params: number): Structure {
  return {
    id: `${gatePrefix}.layer`,
    kind: 'layer',
    modality,
    blockId,
    gate: { group: `${gatePrefix}.layer`, index: 0 },
    slices: units.map((u) => ({ unit: u.name, axis: 'out' as const, indices: range(0, u.shape[0]) })),
    params,
  };
}
