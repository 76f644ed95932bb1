import type { BertLayerShape, BertTowerArch, BlipArch } from '../blip/blip-arch.js';
import {
  decodeAttentionEntry,
  decodeTowerEntries,
  encodeTowerEntries,
  invalidLayerShapes,
  type RecordedTower,
  VLP_LAYER_SHAPES_KEY,
  VLP_LAYER_SHAPES_VERSION,
  type VlpLayerShapeEntry,
  type VlpLayerShapesField,
  vlpLayerShapesObject,
} from './vlp-layer-shapes.js';

/** A BLIP text tower's recorded layers (with their cross-attention geometry). */
export type RecordedBertTower = Pick<BertTowerArch, 'layerIndices' | 'layers'>;

/** The BLIP towers recorded in `vlp_layer_shapes` (a tower absent from the field is absent here). */
export interface RecordedBlipTowers {
  readonly vision?: RecordedTower;
  readonly textEncoder?: RecordedBertTower;
  readonly textDecoder?: RecordedBertTower;
}

const BLIP_KEYS = ['format_version', 'vision', 'text_encoder', 'text_decoder'];

function encodeBertTower(tower: BertTowerArch): VlpLayerShapeEntry[] {
  return encodeTowerEntries(tower).map((entry, position) => {
    const cross = (tower.layers[position] as BertLayerShape).cross;
    return cross ? { ...entry, crossattention: { num_attention_heads: cross.heads, head_dim: cross.headDim, attention_scale: cross.scale } } : entry;
  });
}

/** The `vlp_layer_shapes` field recording every tower of a BLIP head class (`vision`, `text_encoder`, `text_decoder`). */
export function encodeBlipLayerShapes(arch: BlipArch): VlpLayerShapesField {
  return {
    format_version: VLP_LAYER_SHAPES_VERSION,
    vision: encodeTowerEntries(arch.vision),
    ...(arch.textEncoder ? { text_encoder: encodeBertTower(arch.textEncoder) } : {}),
    ...(arch.textDecoder ? { text_decoder: encodeBertTower(arch.textDecoder) } : {}),
  };
}

function decodeVisionTower(value: unknown, where: string): RecordedTower {
  const { layerIndices, layers } = decodeTowerEntries(value, where);
  return { layerIndices, layers };
}

function decodeBertTower(value: unknown, where: string): RecordedBertTower {
  const { layerIndices, layers, entries } = decodeTowerEntries(value, where);
  return {
    layerIndices,
    layers: layers.map((layer, position) => {
      const cross = (entries[position] as Record<string, unknown>).crossattention;
      const at = `${where}[${position}].crossattention`;
      if (cross === undefined || cross === null) return { ...layer, cross: null };
      if (typeof cross !== 'object' || Array.isArray(cross)) throw invalidLayerShapes(at, 'must be an object');
      return { ...layer, cross: decodeAttentionEntry(cross as Record<string, unknown>, at) };
    }),
  };
}

/**
 * Reads the BLIP towers of `vlp_layer_shapes` from a raw config.json object: `undefined` when the
 * field is absent. Unknown tower keys (e.g. CLIP's `text`) and malformed entries throw
 * `InvalidArgumentError` naming them.
 */
export function readBlipLayerShapes(raw: Readonly<Record<string, unknown>>): RecordedBlipTowers | undefined {
  const f = vlpLayerShapesObject(raw);
  if (f === undefined) return undefined;
  const unknown = Object.keys(f).filter((k) => !BLIP_KEYS.includes(k));
  if (unknown.length > 0) {
    throw invalidLayerShapes(`${VLP_LAYER_SHAPES_KEY}.${unknown[0]}`, `is not a BLIP tower (expected ${BLIP_KEYS.slice(1).join(', ')})`);
  }
  return {
    ...(f.vision === undefined ? {} : { vision: decodeVisionTower(f.vision, `${VLP_LAYER_SHAPES_KEY}.vision`) }),
    ...(f.text_encoder === undefined ? {} : { textEncoder: decodeBertTower(f.text_encoder, `${VLP_LAYER_SHAPES_KEY}.text_encoder`) }),
    ...(f.text_decoder === undefined ? {} : { textDecoder: decodeBertTower(f.text_decoder, `${VLP_LAYER_SHAPES_KEY}.text_decoder`) }),
  };
}
