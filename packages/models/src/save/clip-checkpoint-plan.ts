import { NotSupportedError } from '@vlp/core';
import { clipArchFromConfig, type TowerArch } from '../clip/clip-arch.js';
import { parseClipConfig } from '../clip/clip-config.js';
import type { ClipModel } from '../clip/clip-model.js';
import { isStockTower, sameTower, stockTowerFields } from './stock-geometry.js';
import { encodeVlpLayerShapes, VLP_LAYER_SHAPES_KEY } from './vlp-layer-shapes.js';

/**
 * How the model's geometry is recorded in config.json:
 * - `'config'`: the config already describes it (dense or unstructured-pruned) and is written unchanged;
 * - `'stock'`: compacted uniformly — stock fields updated (`num_hidden_layers`, `num_attention_heads`,
 *   `intermediate_size`), layers renumbered 0..n-1; transformers loads it;
 * - `'vlp_layer_shapes'`: compacted non-uniformly — recorded in the `vlp_layer_shapes` field (vlp only).
 */
export type SavedGeometry = 'config' | 'stock' | 'vlp_layer_shapes';

/** What to write: the config.json object and the stored name of each parameter. */
export interface ClipCheckpointPlan {
  readonly config: Record<string, unknown>;
  readonly geometry: SavedGeometry;
  /** Parameter name in the model → tensor name in model.safetensors. */
  readonly weightName: (name: string) => string;
}

type Json = Record<string, unknown>;
type Tower = 'vision' | 'text';

const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** Writes stock geometry fields into `<tower>_config`, folding a legacy `<tower>_config_dict` into it. */
function setTowerFields(config: Json, tower: Tower, fields: Json): void {
  config[`${tower}_config`] = { ...asObject(config[`${tower}_config`]), ...asObject(config[`${tower}_config_dict`]), ...fields };
  delete config[`${tower}_config_dict`];
}

/** Maps `<tower>_model.encoder.layers.<original>.` to `.<position>.` for every kept layer. */
function renumbering(arch: Record<Tower, TowerArch>): (name: string) => string {
  const prefixes = new Map<string, string>();
  for (const tower of ['vision', 'text'] as const) {
    arch[tower].layerIndices.forEach((original, position) => {
      prefixes.set(`${tower}_model.encoder.layers.${original}.`, `${tower}_model.encoder.layers.${position}.`);
    });
  }
  return (name) => {
    const match = /^(vision|text)_model\.encoder\.layers\.\d+\./.exec(name);
    const renamed = match ? prefixes.get(match[0]) : undefined;
    return renamed === undefined ? name : renamed + name.slice((match as RegExpExecArray)[0].length);
  };
}

/**
 * Decides how a CLIP model is saved: its config unchanged when the geometry equals the config's
 * (dense or masked models), a stock config when every compacted tower is uniform, else the original
 * config plus `vlp_layer_shapes`. Throws `NotSupportedError` when a tower's hidden size, activation
 * or LayerNorm eps differs from its config (not representable in config.json).
 */
export function planClipCheckpoint(model: ClipModel): ClipCheckpointPlan {
  const base: Json = structuredClone({ ...model.config.raw });
  delete base[VLP_LAYER_SHAPES_KEY];
  const dense = clipArchFromConfig(parseClipConfig(base));
  const arch = model.arch;
  const identity = (name: string) => name;
  for (const tower of ['vision', 'text'] as const) {
    const [got, want] = [arch[tower], dense[tower]];
    if (got.hidden !== want.hidden || got.act !== want.act || got.eps !== want.eps) {
      throw new NotSupportedError({
        message:
          `saveModel: the ${tower} tower's hidden size / activation / eps (${got.hidden}, ${got.act}, ${got.eps}) differ from its config ` +
          `(${want.hidden}, ${want.act}, ${want.eps}); only heads, head channels, MLP neurons and whole layers can be compacted and saved.`,
      });
    }
  }
  if (sameTower(arch.vision, dense.vision) && sameTower(arch.text, dense.text)) {
    return { config: base, geometry: 'config', weightName: identity };
  }
  if (isStockTower(arch.vision) && isStockTower(arch.text)) {
    for (const tower of ['vision', 'text'] as const) {
      if (!sameTower(arch[tower], dense[tower])) setTowerFields(base, tower, stockTowerFields(arch[tower]));
    }
    return { config: base, geometry: 'stock', weightName: renumbering(arch) };
  }
  base[VLP_LAYER_SHAPES_KEY] = encodeVlpLayerShapes(arch);
  return { config: base, geometry: 'vlp_layer_shapes', weightName: identity };
}
