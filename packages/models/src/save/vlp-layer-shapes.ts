/**
 * The `vlp_layer_shapes` field of config.json: the per-layer geometry of a structurally compacted
 * CLIP model that the stock Hugging Face config cannot express (per-layer head counts or MLP widths,
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
 * Per tower (`vision`, `text`): one entry per KEPT encoder layer, in order. `index` is the layer's
 * original Hugging Face index (its weights keep the name `<tower>_model.encoder.layers.<index>.*`);
 * q/k/v have `num_attention_heads · head_dim` rows, fc1 has `intermediate_size` rows, and q is
 * scaled by `attention_scale` (the ORIGINAL `head_dim^-0.5` when channels were sliced). A tower
 * that is absent keeps the dense geometry of its `*_config`. The `*_config` blocks themselves still
 * describe the original model (hidden size, activation, eps, vocab, ...), so transformers refuses
 * such a checkpoint loudly (size mismatch) instead of loading it wrongly.
 */
import { InvalidArgumentError } from '@vlp/core';
import type { ClipArch, LayerShape, TowerArch } from '../clip/clip-arch.js';

/** The config.json key of the recorded geometry. */
export const VLP_LAYER_SHAPES_KEY = 'vlp_layer_shapes';
/** The format version written (and the only one read). */
export const VLP_LAYER_SHAPES_VERSION = 1;

/** One kept layer as stored in config.json. */
export interface VlpLayerShapeEntry {
  readonly index: number;
  readonly num_attention_heads: number;
  readonly head_dim: number;
  readonly attention_scale: number;
  readonly intermediate_size: number;
}

/** The whole `vlp_layer_shapes` value. */
export interface VlpLayerShapesField {
  readonly format_version: number;
  readonly vision?: readonly VlpLayerShapeEntry[];
  readonly text?: readonly VlpLayerShapeEntry[];
}

/** A tower's recorded layers, in {@link TowerArch} form. */
export type RecordedTower = Pick<TowerArch, 'layerIndices' | 'layers'>;

function encodeTower(tower: TowerArch): VlpLayerShapeEntry[] {
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
  return { format_version: VLP_LAYER_SHAPES_VERSION, vision: encodeTower(arch.vision), text: encodeTower(arch.text) };
}

function invalid(where: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError({
    message:
      `config.json ${where} ${problem}. This field is written by vlp's saveModel for compacted models; ` +
      `re-save the model with vlp, or remove "${VLP_LAYER_SHAPES_KEY}" together with weights that do not match the *_config blocks.`,
  });
}

function count(entry: Record<string, unknown>, key: string, where: string): number {
  const value = entry[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(`${where}.${key}`, `must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function decodeTower(value: unknown, where: string): RecordedTower {
  if (!Array.isArray(value)) throw invalid(where, `must be a list of layers, got ${JSON.stringify(value)}`);
  const layerIndices: number[] = [];
  const layers: LayerShape[] = [];
  value.forEach((raw: unknown, position) => {
    const at = `${where}[${position}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(at, 'must be an object');
    const entry = raw as Record<string, unknown>;
    const index = count(entry, 'index', at);
    const previous = layerIndices[layerIndices.length - 1];
    if (previous !== undefined && index <= previous) throw invalid(`${at}.index`, `must be greater than the previous index ${previous}`);
    const scale = entry.attention_scale;
    if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
      throw invalid(`${at}.attention_scale`, `must be a positive number, got ${JSON.stringify(scale)}`);
    }
    layerIndices.push(index);
    layers.push({
      attention: { heads: count(entry, 'num_attention_heads', at), headDim: count(entry, 'head_dim', at), scale },
      mlp: count(entry, 'intermediate_size', at),
    });
  });
  return { layerIndices, layers };
}

/**
 * Reads `vlp_layer_shapes` from a raw config.json object: `undefined` when absent, else the recorded
 * towers (a tower absent from the field is absent here). Malformed values throw
 * `InvalidArgumentError` naming the offending entry.
 */
export function readVlpLayerShapes(raw: Readonly<Record<string, unknown>>): { vision?: RecordedTower; text?: RecordedTower } | undefined {
  const field = raw[VLP_LAYER_SHAPES_KEY];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== 'object' || Array.isArray(field)) throw invalid(VLP_LAYER_SHAPES_KEY, 'must be an object');
  const f = field as Record<string, unknown>;
  if (f.format_version !== VLP_LAYER_SHAPES_VERSION) {
    throw invalid(`${VLP_LAYER_SHAPES_KEY}.format_version`, `is ${JSON.stringify(f.format_version)}; this vlp reads version ${VLP_LAYER_SHAPES_VERSION} (upgrade vlp)`);
  }
  return {
    ...(f.vision === undefined ? {} : { vision: decodeTower(f.vision, `${VLP_LAYER_SHAPES_KEY}.vision`) }),
    ...(f.text === undefined ? {} : { text: decodeTower(f.text, `${VLP_LAYER_SHAPES_KEY}.text`) }),
  };
}
