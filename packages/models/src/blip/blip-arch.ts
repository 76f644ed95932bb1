import { InvalidArgumentError } from '@vlp/core';
import type { LayerShape, TowerArch } from '../clip/clip-arch.js';
import type { AttentionShape } from '../ops/transformer-blocks.js';
import { readBlipLayerShapes } from '../save/blip-layer-shapes.js';
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

/** Throws unless every recorded layer of a text tower has cross-attention exactly when the config says so. */
function checkCross(tower: BertTowerArch, isDecoder: boolean, key: string): BertTowerArch {
  const position = tower.layers.findIndex((l) => (l.cross !== null) !== isDecoder);
  if (position >= 0) {
    throw new InvalidArgumentError({
      message:
        `config.json vlp_layer_shapes.${key}[${position}] ${isDecoder ? 'lacks' : 'has'} "crossattention", but text_config.is_decoder is ${isDecoder}. ` +
        'This field is written by vlp\'s saveModel for compacted models; re-save the model with vlp.',
    });
  }
  return tower;
}

/**
 * The geometry of a BLIP config's head class: dense, unless config.json records a compacted
 * geometry in `vlp_layer_shapes` (towers `vision`, `text_encoder`, `text_decoder`; see
 * `save/vlp-layer-shapes.ts`), which then replaces the layers of each tower it lists.
 */
export function blipArchFromConfig(config: BlipConfig): BlipArch {
  const a = config.architecture;
  const recorded = readBlipLayerShapes(config.raw);
  const hasEncoder = a !== 'BlipForConditionalGeneration';
  const hasDecoder = a !== 'BlipForImageTextRetrieval';
  const extra = (!hasEncoder && recorded?.textEncoder && 'text_encoder') || (!hasDecoder && recorded?.textDecoder && 'text_decoder');
  if (extra) throw new InvalidArgumentError({ message: `config.json vlp_layer_shapes.${extra} records a tower ${a} does not have; re-save the model with vlp.` });
  const text = (key: string, layers: Pick<BertTowerArch, 'layerIndices' | 'layers'> | undefined) =>
    checkCross({ ...blipTextArch(config.text), ...layers }, config.text.isDecoder, key);
  return {
    vision: { ...blipVisionArch(config.vision), ...recorded?.vision },
    textEncoder: hasEncoder ? text('text_encoder', recorded?.textEncoder) : null,
    textDecoder: hasDecoder ? text('text_decoder', recorded?.textDecoder) : null,
  };
}
