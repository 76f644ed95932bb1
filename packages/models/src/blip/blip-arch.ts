import type { LayerShape, TowerArch } from '../clip/clip-arch.js';
import type { AttentionShape } from '../ops/transformer-blocks.js';
import type { BlipConfig, BlipTextConfig, BlipVisionConfig } from './blip-config.js';

/** One BERT layer's geometry: self-attention, optional cross-attention, intermediate width. */
export interface BertLayerShape extends LayerShape {
  /** Cross-attention geometry, or null when the layers have none (`is_decoder: false`). */
  readonly cross: AttentionShape | null;
}

/** A BLIP text tower (text encoder or the decoder's `bert`): post-LN BERT layers. */
export interface BertTowerArch extends TowerArch {
  readonly layers: readonly BertLayerShape[];
  /** Input width of the cross-attention keys/values (`encoder_hidden_size`). */
  readonly encoderHidden: number;
}

/** The geometry of a BLIP head class: which towers it has, each equal to the config when dense. */
export interface BlipArch {
  readonly vision: TowerArch;
  /** `text_encoder.*` (retrieval, VQA), else null. */
  readonly textEncoder: BertTowerArch | null;
  /** `text_decoder.bert.*` + LM head (captioning, VQA), else null. */
  readonly textDecoder: BertTowerArch | null;
}

function attention(hidden: number, heads: number): AttentionShape {
  const headDim = hidden / heads;
  return { heads, headDim, scale: headDim ** -0.5 };
}

function layerIndices(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** The dense geometry of the BLIP vision tower. */
export function blipVisionArch(c: BlipVisionConfig): TowerArch {
  const layer: LayerShape = { attention: attention(c.hiddenSize, c.numAttentionHeads), mlp: c.intermediateSize };
  return {
    hidden: c.hiddenSize,
    act: c.hiddenAct,
    eps: c.layerNormEps,
    layerIndices: layerIndices(c.numHiddenLayers),
    layers: layerIndices(c.numHiddenLayers).map(() => layer),
  };
}

/** The dense geometry of a BLIP text tower (cross-attention when `is_decoder`). */
export function blipTextArch(c: BlipTextConfig): BertTowerArch {
  const self = attention(c.hiddenSize, c.numAttentionHeads);
  const layer: BertLayerShape = { attention: self, cross: c.isDecoder ? self : null, mlp: c.intermediateSize };
  return {
    hidden: c.hiddenSize,
    act: c.hiddenAct,
    eps: c.layerNormEps,
    encoderHidden: c.encoderHiddenSize,
    layerIndices: layerIndices(c.numHiddenLayers),
    layers: layerIndices(c.numHiddenLayers).map(() => layer),
  };
}

/** The dense geometry of a BLIP config's head class. */
export function blipArchFromConfig(config: BlipConfig): BlipArch {
  const a = config.architecture;
  return {
    vision: blipVisionArch(config.vision),
    textEncoder: a === 'BlipForConditionalGeneration' ? null : blipTextArch(config.text),
    textDecoder: a === 'BlipForImageTextRetrieval' ? null : blipTextArch(config.text),
  };
}
