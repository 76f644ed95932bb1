/**
 * The `vlp_layer_shapes` field of config.json: the per-layer geometry of a structurally compacted
 * model that the stock Hugging Face config cannot express (per-layer head counts or MLP widths,
 * sliced head channels, dropped layers kept under their original names).
 *
 * ```json
 * "vlp_layer_shapes": {
 *   "format_version": 1,
 *   "vision": [
 *     { "index": 0, "num_attention_heads": 3, "head_dim": 16, "attention_scale": 0.25, "intermediate_size": 100 },
 *     { "index": 2, "num_attention_heads": 4, "head_dim": 16, "attention_scale": 0.25, "intermediate_size": 128 }
 *   ],
 *   "text": [ ... ]
 * }
 * ```
 *
 * Towers: CLIP has `vision` and `text`; BLIP has `vision`, `text_encoder` and `text_decoder` (the
 * decoder's `bert`), as its head class has them. Per tower: one entry per KEPT encoder layer, in
 * order. `index` is the layer's original Hugging Face index (its weights keep their name, e.g.
 * `<tower>_model.encoder.layers.<index>.*`, `text_encoder.encoder.layer.<index>.*`); q/k/v have
 * `num_attention_heads · head_dim` rows (BLIP vision: the fused qkv has 3× that), fc1 / intermediate
 * has `intermediate_size` rows, and q is scaled by `attention_scale` (the ORIGINAL `head_dim^-0.5`
 * when channels were sliced). BLIP text layers with cross-attention add
 * `"crossattention": { "num_attention_heads", "head_dim", "attention_scale" }` (its key/value input
 * width stays `encoder_hidden_size`); an entry without it has no cross-attention. A tower that is
 * absent keeps the dense geometry of its `*_config`. The `*_config` blocks themselves still describe
 * the original model (hidden size, activation, eps, vocab, ...), so transformers refuses such a
 * checkpoint loudly (size mismatch) instead of loading it wrongly.
 */
import { InvalidArgumentError } from '@vlp/core';
import type { ClipArch, LayerShape, TowerArch } from '../clip/clip-arch.js';
import type { AttentionShape } from '../ops/transformer-blocks.js';

/** The config.json key of the recorded geometry. */
export const VLP_LAYER_SHAPES_KEY = 'vlp_layer_shapes';
/** The format version written (and the only one read). */
export const VLP_LAYER_SHAPES_VERSION = 1;

/** An attention module's geometry as stored in config.json. */
export interface VlpAttentionEntry {
  readonly num_attention_heads: number;
  readonly head_dim: number;
  readonly attention_scale: number;
}

/** One kept layer as stored in config.json. */
export interface VlpLayerShapeEntry extends VlpAttentionEntry {
  readonly index: number;
  readonly intermediate_size: number;
  /** BLIP text layers: the cross-attention geometry (absent: no cross-attention). */
  readonly crossattention?: VlpAttentionEntry;
}

/** The whole `vlp_layer_shapes` value (CLIP: `vision`, `text`; BLIP: `vision`, `text_encoder`, `text_decoder`). */
export interface VlpLayerShapesField {
  readonly format_version: number;
  readonly vision?: readonly VlpLayerShapeEntry[];
  readonly text?: readonly VlpLayerShapeEntry[];
  readonly text_encoder?: readonly VlpLayerShapeEntry[];
  readonly text_decoder?: readonly VlpLayerShapeEntry[];
}

/** A tower's recorded layers, in {@link TowerArch} form. */
export type RecordedTower = Pick<TowerArch, 'layerIndices' | 'layers'>;

/** One entry per kept layer of `tower` (without cross-attention; see {@link VlpLayerShapeEntry}). */
export function encodeTowerEntries(tower: TowerArch): VlpLayerShapeEntry[] {
  return tower.layers.map((layer, position) => ({
    index: tower.layerIndices[position] as number,
    num_attention_heads: layer.attention.heads,
    head_dim: layer.attention.headDim,
    attention_scale: layer.attention.scale,
    intermediate_size: layer.mlp,
  }));
}

/** The field recording both towers of `arch`. */
export function encodeVlpLayerShapes(arch: ClipArch): VlpLayerShapesField {
  return { format_version: VLP_LAYER_SHAPES_VERSION, vision: encodeTowerEntries(arch.vision), text: encodeTowerEntries(arch.text) };
}

/** The error for a malformed `vlp_layer_shapes` value at `where`. */
export function invalidLayerShapes(where: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError({
    message:
      `config.json ${where} ${problem}. This field is written by vlp's saveModel for compacted models; ` +
      `re-save the model with vlp, or remove "${VLP_LAYER_SHAPES_KEY}" together with weights that do not match the *_config blocks.`,
  });
}

/** A non-negative integer field of an entry. */
export function layerShapeCount(entry: Record<string, unknown>, key: string, where: string): number {
  const value = entry[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidLayerShapes(`${where}.${key}`, `must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Decodes `{ num_attention_heads, head_dim, attention_scale }` of `entry` (an object) at `where`. */
export function decodeAttentionEntry(entry: Record<string, unknown>, where: string): AttentionShape {
  const scale = entry.attention_scale;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    throw invalidLayerShapes(`${where}.attention_scale`, `must be a positive number, got ${JSON.stringify(scale)}`);
  }
  return { heads: layerShapeCount(entry, 'num_attention_heads', where), headDim: layerShapeCount(entry, 'head_dim', where), scale };
}

/** Decodes a tower's list of entries (increasing `index`); returns them too, for extra fields. */
export function decodeTowerEntries(value: unknown, where: string): RecordedTower & { readonly entries: readonly Record<string, unknown>[] } {
  if (!Array.isArray(value)) throw invalidLayerShapes(where, `must be a list of layers, got ${JSON.stringify(value)}`);
  const layerIndices: number[] = [];
  const layers: LayerShape[] = [];
  const entries: Record<string, unknown>[] = [];
  value.forEach((raw: unknown, position) => {
    const at = `${where}[${position}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalidLayerShapes(at, 'must be an object');
    const entry = raw as Record<string, unknown>;
    const index = layerShapeCount(entry, 'index', at);
    const previous = layerIndices[layerIndices.length - 1];
    if (previous !== undefined && index <= previous) throw invalidLayerShapes(`${at}.index`, `must be greater than the previous index ${previous}`);
    const attention = decodeAttentionEntry(entry, at);
    layerIndices.push(index);
    layers.push({ attention, mlp: layerShapeCount(entry, 'intermediate_size', at) });
    entries.push(entry);
  });
  return { layerIndices, layers, entries };
}

/** The `vlp_layer_shapes` object of `raw` (format version checked), or undefined when absent. */
export function vlpLayerShapesObject(raw: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const field = raw[VLP_LAYER_SHAPES_KEY];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== 'object' || Array.isArray(field)) throw invalidLayerShapes(VLP_LAYER_SHAPES_KEY, 'must be an object');
  const f = field as Record<string, unknown>;
  if (f.format_version !== VLP_LAYER_SHAPES_VERSION) {
    throw invalidLayerShapes(`${VLP_LAYER_SHAPES_KEY}.format_version`, `is ${JSON.stringify(f.format_version)}; this vlp reads version ${VLP_LAYER_SHAPES_VERSION} (upgrade vlp)`);
  }
  return f;
}

const decodeTower = (value: unknown, where: string): RecordedTower => {
  const { layerIndices, layers } = decodeTowerEntries(value, where);
  return { layerIndices, layers };
};

/**
 * Reads `vlp_layer_shapes` from a raw config.json object: `undefined` when absent, else the recorded
 * towers (a tower absent from the field is absent here). Malformed values throw
 * `InvalidArgumentError` naming the offending entry.
 */
export function readVlpLayerShapes(raw: Readonly<Record<string, unknown>>): { vision?: RecordedTower; text?: RecordedTower } | undefined {
  const f = vlpLayerShapesObject(raw);
  if (f === undefined) return undefined;
  return {
    ...(f.vision === undefined ? {} : { vision: decodeTower(f.vision, `${VLP_LAYER_SHAPES_KEY}.vision`) }),
    ...(f.text === undefined ? {} : { text: decodeTower(f.text, `${VLP_LAYER_SHAPES_KEY}.text`) }),
  };
}
