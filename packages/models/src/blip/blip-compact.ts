import { NotSupportedError, type StructureMask } from '@vlp/core';
import type { LayerShape, TowerArch } from '../clip/clip-arch.js';
import type { AttentionShape } from '../ops/transformer-blocks.js';
import { type BlockRemoval, keptIndices, planRemoval } from '../view/structure-plan.js';
import { fusedQkvRows } from '../view/tower-structures.js';
import type { StoredParam } from '../weights/param-store.js';
import { takeColumns, takeRows } from '../weights/slice.js';
import type { BertLayerShape, BertTowerArch, BlipArch } from './blip-arch.js';
import { TEXT_DECODER_ROOT, TEXT_ENCODER_ROOT } from './blip-params.js';
import { rebuildBlip } from './blip-rebuild.js';
import { bertLayerNames, blipViewLayout, visionLayerNames } from './blip-view-layout.js';
import type { BlipModel } from './load-blip.js';

type Params = Map<string, StoredParam>;

const NONE: ReadonlySet<number> = new Set();

/** Keeps rows `rows` of `<unit>` (a `.weight`) and of its bias. */
function keepRows(params: Params, weight: string, rows: readonly number[]): void {
  const w = params.get(weight) as StoredParam;
  const cols = w.shape[1] as number;
  params.set(weight, { shape: [rows.length, cols], data: takeRows(w.data, cols, rows) });
  const biasName = weight.replace(/weight$/, 'bias');
  const b = params.get(biasName) as StoredParam;
  params.set(biasName, { shape: [rows.length], data: takeRows(b.data, 1, rows) });
}

/** Keeps columns `columns` of a `.weight` (its bias is per output row and stays). */
function keepColumns(params: Params, weight: string, columns: readonly number[]): void {
  const w = params.get(weight) as StoredParam;
  params.set(weight, { shape: [w.shape[0] as number, columns.length], data: takeColumns(w.data, w.shape[1] as number, columns) });
}

/** The kept q rows (head-major) and the compacted geometry of an attention module. */
function keptAttention(shape: AttentionShape, heads: ReadonlySet<number>, channels: ReadonlySet<number>, module: string, blockId: string): { rows: number[]; shape: AttentionShape } {
  const keptHeads = keptIndices(shape.heads, heads);
  const keptChannels = keptIndices(shape.headDim, channels);
  if (keptHeads.length === 0 || keptChannels.length === 0) throw emptied(module, blockId);
  return {
    rows: keptHeads.flatMap((h) => keptChannels.map((c) => h * shape.headDim + c)),
    // q keeps the ORIGINAL head_dim^-0.5, so the compacted module computes what the gated one did.
    shape: { heads: keptHeads.length, headDim: keptChannels.length, scale: shape.scale },
  };
}

function keptNeurons(mlp: number, removal: BlockRemoval | undefined, module: string, blockId: string): number[] {
  const kept = keptIndices(mlp, removal?.neurons ?? NONE);
  if (kept.length === 0) throw emptied(module, blockId);
  return kept;
}

function emptied(module: string, blockId: string): NotSupportedError {
  return new NotSupportedError({
    message: `Compacting would leave an empty ${module} in BLIP layer "${blockId}"; remove the whole layer (structure "${blockId}.layer") instead.`,
  });
}

function dropLayer(params: Params, prefix: string): void {
  for (const name of [...params.keys()]) if (name.startsWith(`${prefix}.`)) params.delete(name);
}

function compactVision(t: TowerArch, plan: Map<string, BlockRemoval>, params: Params): TowerArch {
  const layers: LayerShape[] = [];
  const indices: number[] = [];
  t.layers.forEach((layer, position) => {
    const i = t.layerIndices[position] as number;
    const n = visionLayerNames(i);
    const blockId = `vision.${i}`;
    const removal = plan.get(blockId);
    if (removal?.layer) return dropLayer(params, n.prefix);
    const attn = keptAttention(layer.attention, removal?.heads ?? NONE, removal?.channels ?? NONE, 'attention', blockId);
    const neurons = keptNeurons(layer.mlp, removal, 'MLP', blockId);
    keepRows(params, n.qkv, fusedQkvRows(attn.rows, layer.attention.heads * layer.attention.headDim));
    keepColumns(params, n.out, attn.rows);
    keepRows(params, n.fc1, neurons);
    keepColumns(params, n.fc2, neurons);
    layers.push({ attention: attn.shape, mlp: neurons.length });
    indices.push(i);
  });
  return { ...t, layers, layerIndices: indices };
}

function compactBert(t: BertTowerArch, root: string, gateRoot: 'text' | 'decoder', plan: Map<string, BlockRemoval>, params: Params): BertTowerArch {
  const layers: BertLayerShape[] = [];
  const indices: number[] = [];
  t.layers.forEach((layer, position) => {
    const i = t.layerIndices[position] as number;
    const n = bertLayerNames(root, i);
    const blockId = `${gateRoot}.${i}`;
    const removal = plan.get(blockId);
    if (removal?.layer) return dropLayer(params, n.prefix);
    const self = keptAttention(layer.attention, removal?.heads ?? NONE, removal?.channels ?? NONE, 'self-attention', blockId);
    const cross = layer.cross ? keptAttention(layer.cross, removal?.crossHeads ?? NONE, removal?.crossChannels ?? NONE, 'cross-attention', blockId) : null;
    const neurons = keptNeurons(layer.mlp, removal, 'feed-forward', blockId);
    for (const w of [n.self.q, n.self.k, n.self.v]) keepRows(params, w, self.rows);
    keepColumns(params, n.self.out, self.rows);
    if (cross) {
      for (const w of [n.cross.q, n.cross.k, n.cross.v]) keepRows(params, w, cross.rows);
      keepColumns(params, n.cross.out, cross.rows);
    }
    keepRows(params, n.fc1, neurons);
    keepColumns(params, n.fc2, neurons);
    layers.push({ attention: self.shape, cross: cross?.shape ?? null, mlp: neurons.length });
    indices.push(i);
  });
  return { ...t, layers, layerIndices: indices };
}

/**
 * Physically removes the structures of `mask` (ids of {@link blipViewLayout}'s structures: heads,
 * per-head channels — of self- and cross-attention — MLP neurons and whole layers) from any BLIP
 * head class, and returns a new, smaller model of the same class whose outputs equal the gated
 * model's (gate 0 on every removed structure). The vision tower's fused qkv loses the q, k and v
 * rows of each removed head / channel. q keeps the ORIGINAL `head_dim^-0.5` scale after channels
 * are sliced (recorded per layer in the geometry), as for CLIP. `model` is left unchanged.
 *
 * Throws `VLP_INVALID_ARGUMENT` for an unknown structure id and `VLP_NOT_SUPPORTED` when a module
 * would be emptied (remove the whole layer instead).
 */
export function compactBlip<M extends BlipModel>(model: M, mask: StructureMask): M {
  const plan = planRemoval(blipViewLayout(model.arch).structures, mask);
  const params: Params = new Map(model.params.names().map((name) => [name, model.params.get(name)]));
  const { vision, textEncoder, textDecoder } = model.arch;
  const arch: BlipArch = {
    vision: compactVision(vision, plan, params),
    textEncoder: textEncoder ? compactBert(textEncoder, TEXT_ENCODER_ROOT, 'text', plan, params) : null,
    textDecoder: textDecoder ? compactBert(textDecoder, TEXT_DECODER_ROOT, 'decoder', plan, params) : null,
  };
  return rebuildBlip(model, arch, params);
}
