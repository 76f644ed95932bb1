import type { AttentionShape } from '../ops/transformer-blocks.js';
import type { ClipConfig, ClipTextConfig, ClipVisionConfig, HiddenAct } from './clip-config.js';
import { readVlpLayerShapes } from '../save/vlp-layer-shapes.js';

/** One encoder layer's geometry. */
export interface LayerShape {
  readonly attention: AttentionShape;
  readonly mlp: number;
}

/** A tower's geometry: equal to the config for dense models, per layer after compaction. */
export interface TowerArch {
  readonly hidden: number;
  readonly act: HiddenAct;
  readonly eps: number;
  /** Original HF layer index of each remaining layer (weights keep their original names). */
  readonly layerIndices: readonly number[];
  readonly layers: readonly LayerShape[];
}

export interface ClipArch {
  readonly vision: TowerArch;
  readonly text: TowerArch;
}

function denseTower(c: ClipTextConfig | ClipVisionConfig): TowerArch {
  const headDim = c.hiddenSize / c.numAttentionHeads;
  const layer: LayerShape = {
    attention: { heads: c.numAttentionHeads, headDim, scale: headDim ** -0.5 },
    mlp: c.intermediateSize,
  };
  return {
    hidden: c.hiddenSize,
    act: c.hiddenAct,
    eps: c.layerNormEps,
    layerIndices: Array.from({ length: c.numHiddenLayers }, (_, i) => i),
    layers: Array.from({ length: c.numHiddenLayers }, () => layer),
  };
}

/**
 * The geometry of a CLIP config: dense, unless config.json records a compacted geometry in
 * `vlp_layer_shapes` (see `save/vlp-layer-shapes.ts`), which then replaces the layers of each tower it lists.
 */
export function clipArchFromConfig(config: ClipConfig): ClipArch {
  const recorded = readVlpLayerShapes(config.raw);
  return { vision: { ...denseTower(config.vision), ...recorded?.vision }, text: { ...denseTower(config.text), ...recorded?.text } };
}
