import { clipArchFromConfig, type TowerArch } from '../clip/clip-arch.js';
import { parseClipConfig } from '../clip/clip-config.js';
import type { ClipModel } from '../clip/clip-model.js';
import { assertSavableTower, isStockTower, sameTower, stockTowerFields } from './stock-geometry.js';
import { prefixRenaming, setTowerFields } from './tower-fields.js';
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
export interface CheckpointPlan {
  readonly config: Record<string, unknown>;
  readonly geometry: SavedGeometry;
  /** Parameter name in the model → tensor name in model.safetensors. */
  readonly weightName: (name: string) => string;
}

/** The plan of a CLIP checkpoint. */
export type ClipCheckpointPlan = CheckpointPlan;

type Json = Record<string, unknown>;
type Tower = 'vision' | 'text';

/** Maps `<tower>_model.encoder.layers.<original>.` to `.<position>.` for every kept layer. */
function renumbering(arch: Record<Tower, TowerArch>): (name: string) => string {
  const prefixes = new Map<string, string>();
  for (const tower of ['vision', 'text'] as const) {
    arch[tower].layerIndices.forEach((original, position) => {
      prefixes.set(`${tower}_model.encoder.layers.${original}.`, `${tower}_model.encoder.layers.${position}.`);
    });
  }
  return prefixRenaming(prefixes, /^(vision|text)_model\.encoder\.layers\.\d+\./);
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
  for (const tower of ['vision', 'text'] as const) assertSavableTower(tower, arch[tower], dense[tower]);
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
