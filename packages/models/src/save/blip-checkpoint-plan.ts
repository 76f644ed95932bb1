import { NotSupportedError } from '@vlp/core';
import type { TowerArch } from '../clip/clip-arch.js';
import { type BertTowerArch, blipArchFromConfig } from '../blip/blip-arch.js';
import { parseBlipConfig } from '../blip/blip-config.js';
import { TEXT_DECODER_ROOT, TEXT_ENCODER_ROOT } from '../blip/blip-params.js';
import type { BlipModel } from '../blip/load-blip.js';
import type { CheckpointPlan } from './clip-checkpoint-plan.js';
import { encodeBlipLayerShapes } from './blip-layer-shapes.js';
import { assertSavableTower, isStockTower, sameAttention, sameTower, stockTowerFields } from './stock-geometry.js';
import { prefixRenaming, setTowerFields } from './tower-fields.js';
import { VLP_LAYER_SHAPES_KEY } from './vlp-layer-shapes.js';

type Json = Record<string, unknown>;

/** One tower of a BLIP head class: the model's geometry, the config's, and its layers' weight-name prefix. */
interface TowerPair {
  readonly key: 'vision' | 'text_encoder' | 'text_decoder';
  readonly got: TowerArch | BertTowerArch;
  readonly want: TowerArch | BertTowerArch;
  readonly layerPrefix: string;
}

const crossOf = (t: TowerArch | BertTowerArch, position: number) => ('encoderHidden' in t ? (t.layers[position]?.cross ?? null) : null);

/** Same layers, including each layer's cross-attention. */
function sameBlipTower(a: TowerArch | BertTowerArch, b: TowerArch | BertTowerArch): boolean {
  if (!sameTower(a, b)) return false;
  return a.layers.every((_, i) => {
    const [x, y] = [crossOf(a, i), crossOf(b, i)];
    return x === null || y === null ? x === y : sameAttention(x, y);
  });
}

/** Stock-expressible: uniform full-width layers, and cross-attention (when present) shaped like self-attention. */
function isStockBlipTower(t: TowerArch | BertTowerArch): boolean {
  return isStockTower(t) && t.layers.every((layer, i) => {
    const cross = crossOf(t, i);
    return cross === null || sameAttention(cross, layer.attention);
  });
}

function towerPairs(model: BlipModel, dense: ReturnType<typeof blipArchFromConfig>): TowerPair[] {
  const { arch } = model;
  const pairs: TowerPair[] = [{ key: 'vision', got: arch.vision, want: dense.vision, layerPrefix: 'vision_model.encoder.layers.' }];
  if (arch.textEncoder && dense.textEncoder) pairs.push({ key: 'text_encoder', got: arch.textEncoder, want: dense.textEncoder, layerPrefix: `${TEXT_ENCODER_ROOT}.encoder.layer.` });
  if (arch.textDecoder && dense.textDecoder) pairs.push({ key: 'text_decoder', got: arch.textDecoder, want: dense.textDecoder, layerPrefix: `${TEXT_DECODER_ROOT}.encoder.layer.` });
  return pairs;
}

/** Maps each kept layer's `<prefix><original>.` to `<prefix><position>.`. */
function renumbering(pairs: readonly TowerPair[]): (name: string) => string {
  const prefixes = new Map<string, string>();
  for (const { got, layerPrefix } of pairs) {
    got.layerIndices.forEach((original, position) => prefixes.set(`${layerPrefix}${original}.`, `${layerPrefix}${position}.`));
  }
  return prefixRenaming(prefixes, /^(vision_model\.encoder\.layers|text_encoder\.encoder\.layer|text_decoder\.bert\.encoder\.layer)\.\d+\./);
}

/**
 * Decides how a BLIP model (any head class) is saved: its config unchanged when the geometry equals
 * the config's (dense or masked models); a stock config when every compacted tower is uniform with
 * full-width attention (self and cross) and — since `text_config` describes both — the text encoder
 * and decoder of a VQA model have the same depth and width (layers renumbered 0..n-1; transformers
 * loads it); else the original config plus `vlp_layer_shapes` with the towers `vision`,
 * `text_encoder`, `text_decoder` (see `vlp-layer-shapes.ts`). Throws `NotSupportedError` when a
 * tower's hidden size, activation, LayerNorm eps or cross-attention input width differs from its config.
 */
export function planBlipCheckpoint(model: BlipModel): CheckpointPlan {
  const base: Json = structuredClone({ ...model.config.raw });
  delete base[VLP_LAYER_SHAPES_KEY];
  const dense = blipArchFromConfig(parseBlipConfig(base, model.config.architecture));
  const pairs = towerPairs(model, dense);
  for (const { key, got, want } of pairs) {
    assertSavableTower(key, got, want);
    if ('encoderHidden' in got && 'encoderHidden' in want && got.encoderHidden !== want.encoderHidden) {
      throw new NotSupportedError({ message: `saveModel: the ${key} cross-attention input width (${got.encoderHidden}) differs from encoder_hidden_size (${want.encoderHidden}).` });
    }
  }
  if (pairs.every((p) => sameBlipTower(p.got, p.want))) return { config: base, geometry: 'config', weightName: (name) => name };
  const text = pairs.filter((p) => p.key !== 'vision');
  const textFields = text.map((p) => JSON.stringify(stockTowerFields(p.got)));
  if (pairs.every((p) => isStockBlipTower(p.got)) && new Set(textFields).size <= 1) {
    const [vision] = pairs as [TowerPair];
    if (!sameBlipTower(vision.got, vision.want)) setTowerFields(base, 'vision', stockTowerFields(vision.got));
    const changed = text.find((p) => !sameBlipTower(p.got, p.want));
    if (changed) setTowerFields(base, 'text', stockTowerFields(changed.got));
    return { config: base, geometry: 'stock', weightName: renumbering(pairs) };
  }
  base[VLP_LAYER_SHAPES_KEY] = encodeBlipLayerShapes(model.arch);
  return { config: base, geometry: 'vlp_layer_shapes', weightName: (name) => name };
}
