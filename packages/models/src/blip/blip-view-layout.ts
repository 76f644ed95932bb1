import type { Modality, PrunableUnit, Structure } from '@vlp/core';
import type { TowerArch } from '../clip/clip-arch.js';
import {
  type AttentionUnits,
  attentionStructures,
  attentionUnits,
  fusedAttentionStructures,
  fusedAttentionUnits,
  layerStructure,
  mlpUnits,
  neuronStructures,
} from '../view/tower-structures.js';
import type { BertTowerArch, BlipArch } from './blip-arch.js';
import { TEXT_DECODER_ROOT, TEXT_ENCODER_ROOT } from './blip-params.js';

/** Options of the BLIP prunable view. */
export interface BlipViewOptions {
  /**
   * Modality of the cross-attention units and structures: `fusion` (default), or `text` to
   * reproduce MULTIFLOW's two-modality split of BLIP (vision vs everything textual, cross-attention
   * included).
   */
  readonly fusionAs?: 'fusion' | 'text';
}

/** The prunable units and structures of a BLIP model. */
export interface BlipViewLayout {
  readonly units: PrunableUnit[];
  readonly structures: Structure[];
}

/** Weight names of the text towers' layer `i` (BERT naming). */
export function bertLayerNames(root: string, i: number) {
  const p = `${root}.encoder.layer.${i}`;
  return {
    prefix: p,
    self: { q: `${p}.attention.self.query.weight`, k: `${p}.attention.self.key.weight`, v: `${p}.attention.self.value.weight`, out: `${p}.attention.output.dense.weight` },
    cross: {
      q: `${p}.crossattention.self.query.weight`,
      k: `${p}.crossattention.self.key.weight`,
      v: `${p}.crossattention.self.value.weight`,
      out: `${p}.crossattention.output.dense.weight`,
    },
    fc1: `${p}.intermediate.dense.weight`,
    fc2: `${p}.output.dense.weight`,
  };
}

/** Weight names of the vision tower's layer `i`. */
export function visionLayerNames(i: number) {
  const p = `vision_model.encoder.layers.${i}`;
  return { prefix: p, qkv: `${p}.self_attn.qkv.weight`, out: `${p}.self_attn.projection.weight`, fc1: `${p}.mlp.fc1.weight`, fc2: `${p}.mlp.fc2.weight` };
}

function visionTower(t: TowerArch, out: BlipViewLayout): void {
  t.layers.forEach((layer, position) => {
    const i = t.layerIndices[position] as number;
    const n = visionLayerNames(i);
    const blockId = `vision.${i}`;
    const attn = { qkv: n.qkv, out: n.out, hidden: t.hidden };
    const blockUnits = [...fusedAttentionUnits(attn, layer.attention, 'vision', blockId, i), ...mlpUnits(n.fc1, n.fc2, t.hidden, layer.mlp, 'vision', blockId, i)];
    const inner = layer.attention.heads * layer.attention.headDim;
    const params = 3 * inner * (t.hidden + 1) + t.hidden * (inner + 1) + layer.mlp * (t.hidden + 1) + t.hidden * (layer.mlp + 1) + 4 * t.hidden;
    out.units.push(...blockUnits);
    out.structures.push(
      ...fusedAttentionStructures(attn, layer.attention, 'vision', blockId, blockId),
      ...neuronStructures(n.fc1, n.fc2, t.hidden, layer.mlp, 'vision', blockId, blockId),
      layerStructure(blockUnits, 'vision', blockId, blockId, params),
    );
  });
}

/** Parameters of an attention module with separate q/k/v/out (biases included). */
function attentionParams(a: AttentionUnits, inner: number): number {
  return inner * (a.queryIn + 1) + 2 * inner * (a.keyValueIn + 1) + a.hidden * (inner + 1);
}

function bertTower(t: BertTowerArch, root: string, gateRoot: 'text' | 'decoder', fusion: Modality, out: BlipViewLayout): void {
  const d = t.hidden;
  t.layers.forEach((layer, position) => {
    const i = t.layerIndices[position] as number;
    const n = bertLayerNames(root, i);
    const blockId = `${gateRoot}.${i}`;
    const self: AttentionUnits = { ...n.self, queryIn: d, keyValueIn: d, hidden: d };
    const cross: AttentionUnits = { ...n.cross, queryIn: d, keyValueIn: t.encoderHidden, hidden: d };
    const selfUnits = attentionUnits(self, layer.attention, 'text', blockId, i, 'attn');
    const crossUnits = layer.cross ? attentionUnits(cross, layer.cross, fusion, blockId, i, 'cross') : [];
    const blockUnits = [...selfUnits, ...crossUnits, ...mlpUnits(n.fc1, n.fc2, d, layer.mlp, 'text', blockId, i)];
    const norms = (layer.cross ? 3 : 2) * 2 * d;
    const params =
      attentionParams(self, layer.attention.heads * layer.attention.headDim) +
      (layer.cross ? attentionParams(cross, layer.cross.heads * layer.cross.headDim) : 0) +
      layer.mlp * (d + 1) +
      d * (layer.mlp + 1) +
      norms;
    out.units.push(...blockUnits);
    out.structures.push(
      ...attentionStructures(self, layer.attention, 'text', blockId, blockId, 'attn'),
      ...(layer.cross ? attentionStructures(cross, layer.cross, fusion, blockId, blockId, 'cross') : []),
      ...neuronStructures(n.fc1, n.fc2, d, layer.mlp, 'text', blockId, blockId),
      layerStructure(blockUnits, 'text', blockId, blockId, params),
    );
  });
}

/**
 * The prunable units and structures of a BLIP head class, in order: vision layers (`vision.{i}`:
 * fused `self_attn.qkv` as ONE unit of role `attn.qkv` `[3D, D]`, `self_attn.projection` as
 * `attn.out`, `mlp.fc1`, `mlp.fc2`), then the text encoder (`text.{i}`, `text_encoder.*`), then the
 * decoder (`decoder.{i}`, `text_decoder.bert.*`), each BERT layer with self-attention
 * `query/key/value/output.dense` (`attn.*`), cross-attention (`cross.*`, key/value input width =
 * `encoder_hidden_size`), `intermediate.dense` (`mlp.fc1`) and `output.dense` (`mlp.fc2`).
 *
 * Modalities: `vision` for the vision tower, `text` for text self-attention and feed-forward (encoder
 * and decoder) and for whole text layers, `fusion` for cross-attention (or `text` with
 * `{ fusionAs: 'text' }`). Structures: heads and per-head channels of every attention module (the
 * fused qkv's q, k and v row blocks included), MLP neurons and whole layers; gates
 * `<block>.attn.heads|channels`, `<block>.cross.heads|channels`, `<block>.mlp`, `<block>.layer`.
 */
export function blipViewLayout(arch: BlipArch, options: BlipViewOptions = {}): BlipViewLayout {
  const fusion: Modality = options.fusionAs ?? 'fusion';
  const out: BlipViewLayout = { units: [], structures: [] };
  visionTower(arch.vision, out);
  if (arch.textEncoder) bertTower(arch.textEncoder, TEXT_ENCODER_ROOT, 'text', fusion, out);
  if (arch.textDecoder) bertTower(arch.textDecoder, TEXT_DECODER_ROOT, 'decoder', fusion, out);
  return out;
}
