import { InvalidArgumentError } from '@vlp/core';
import { act, bool, checkHeads, int, type Json, num, obj } from '../config/json-fields.js';
import type { HiddenAct } from '../clip/clip-config.js';

/** The three BLIP head classes `loadModel` dispatches on. */
export type BlipArchitecture = 'BlipForImageTextRetrieval' | 'BlipForConditionalGeneration' | 'BlipForQuestionAnswering';

/** BLIP text (BERT) config, camelCase, every default filled as transformers v4.36 BlipTextConfig does. */
export interface BlipTextConfig {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  /** Width of the cross-attention keys/values: BlipConfig sets it to the vision hidden size. */
  readonly encoderHiddenSize: number;
  readonly intermediateSize: number;
  readonly projectionDim: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly maxPositionEmbeddings: number;
  readonly hiddenAct: HiddenAct;
  readonly layerNormEps: number;
  /** `[DEC]`: the first decoder token. */
  readonly bosTokenId: number;
  readonly eosTokenId: number;
  readonly padTokenId: number;
  /** `[SEP]`: what BLIP's `generate()` stops on. */
  readonly sepTokenId: number;
  /** Layers have cross-attention (BlipTextConfig default true). */
  readonly isDecoder: boolean;
}

/** BLIP vision config (BlipVisionConfig defaults; the patch conv always has 3 input channels). */
export interface BlipVisionConfig {
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly projectionDim: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly numChannels: 3;
  readonly imageSize: number;
  readonly patchSize: number;
  readonly hiddenAct: HiddenAct;
  readonly layerNormEps: number;
}

/** A parsed BLIP config (BlipConfig + its text and vision configs). */
export interface BlipConfig {
  readonly architecture: BlipArchitecture;
  readonly projectionDim: number;
  readonly logitScaleInitValue: number;
  /** Width of `vision_proj` / `text_proj` (retrieval ITC). */
  readonly imageTextHiddenSize: number;
  readonly text: BlipTextConfig;
  readonly vision: BlipVisionConfig;
  /** The config.json object as read (written back on save, so unknown fields survive). */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** transformers v4.36.2 `BlipTextConfig.__init__` defaults. */
export const BLIP_TEXT_DEFAULTS = {
  vocab_size: 30524,
  hidden_size: 768,
  encoder_hidden_size: 768,
  intermediate_size: 3072,
  projection_dim: 768,
  num_hidden_layers: 12,
  num_attention_heads: 8,
  max_position_embeddings: 512,
  hidden_act: 'gelu',
  layer_norm_eps: 1e-12,
  bos_token_id: 30522,
  eos_token_id: 2,
  pad_token_id: 0,
  sep_token_id: 102,
  is_decoder: true,
} as const;

/** transformers v4.36.2 `BlipVisionConfig.__init__` defaults. */
export const BLIP_VISION_DEFAULTS = {
  hidden_size: 768,
  intermediate_size: 3072,
  projection_dim: 512,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  image_size: 384,
  patch_size: 16,
  hidden_act: 'gelu',
  layer_norm_eps: 1e-5,
} as const;


const ARCHITECTURES: readonly BlipArchitecture[] = ['BlipForImageTextRetrieval', 'BlipForConditionalGeneration', 'BlipForQuestionAnswering'];

/** `x_config`, replaced wholesale by a legacy `x_config_dict` when present (BlipConfig's compatibility rule). */
function towerSource(raw: Json, key: 'text' | 'vision'): Json {
  const legacy = raw[`${key}_config_dict`];
  return obj(legacy ?? raw[`${key}_config`]);
}

/**
 * Parses a BLIP config.json object exactly as transformers v4.36.2 fills it: short configs omit
 * every field equal to the class default (BlipTextConfig: 8 heads, eps 1e-12, ...; BlipVisionConfig:
 * image 384, patch 16, eps 1e-5; BlipConfig: projection_dim 512, image_text_hidden_size 256), and
 * BlipConfig overrides `text_config.encoder_hidden_size` with the vision hidden size.
 */
export function parseBlipConfig(raw: Json, architecture?: BlipArchitecture): BlipConfig {
  const declared = Array.isArray(raw.architectures) ? String(raw.architectures[0]) : undefined;
  const arch = architecture ?? (declared as BlipArchitecture | undefined);
  if (!arch || !ARCHITECTURES.includes(arch)) {
    throw new InvalidArgumentError({
      message: `config.architectures[0] "${String(declared)}" is not a BLIP head class; expected one of ${ARCHITECTURES.join(', ')}.`,
    });
  }
  const t = towerSource(raw, 'text');
  const v = towerSource(raw, 'vision');
  const T = BLIP_TEXT_DEFAULTS;
  const V = BLIP_VISION_DEFAULTS;
  const vision: BlipVisionConfig = {
    hiddenSize: int(v, 'hidden_size', V.hidden_size, 'vision_config'),
    intermediateSize: int(v, 'intermediate_size', V.intermediate_size, 'vision_config'),
    projectionDim: int(v, 'projection_dim', V.projection_dim, 'vision_config'),
    numHiddenLayers: int(v, 'num_hidden_layers', V.num_hidden_layers, 'vision_config'),
    numAttentionHeads: int(v, 'num_attention_heads', V.num_attention_heads, 'vision_config'),
    numChannels: 3,
    imageSize: int(v, 'image_size', V.image_size, 'vision_config'),
    patchSize: int(v, 'patch_size', V.patch_size, 'vision_config'),
    hiddenAct: act(v, V.hidden_act, 'vision_config'),
    layerNormEps: num(v, 'layer_norm_eps', V.layer_norm_eps, 'vision_config'),
  };
  const text: BlipTextConfig = {
    vocabSize: int(t, 'vocab_size', T.vocab_size, 'text_config'),
    hiddenSize: int(t, 'hidden_size', T.hidden_size, 'text_config'),
    encoderHiddenSize: vision.hiddenSize,
    intermediateSize: int(t, 'intermediate_size', T.intermediate_size, 'text_config'),
    projectionDim: int(t, 'projection_dim', T.projection_dim, 'text_config'),
    numHiddenLayers: int(t, 'num_hidden_layers', T.num_hidden_layers, 'text_config'),
    numAttentionHeads: int(t, 'num_attention_heads', T.num_attention_heads, 'text_config'),
    maxPositionEmbeddings: int(t, 'max_position_embeddings', T.max_position_embeddings, 'text_config'),
    hiddenAct: act(t, T.hidden_act, 'text_config'),
    layerNormEps: num(t, 'layer_norm_eps', T.layer_norm_eps, 'text_config'),
    bosTokenId: int(t, 'bos_token_id', T.bos_token_id, 'text_config'),
    eosTokenId: int(t, 'eos_token_id', T.eos_token_id, 'text_config'),
    padTokenId: int(t, 'pad_token_id', T.pad_token_id, 'text_config'),
    sepTokenId: int(t, 'sep_token_id', T.sep_token_id, 'text_config'),
    isDecoder: bool(t, 'is_decoder', T.is_decoder, 'text_config'),
  };
  checkHeads('text_config', text.hiddenSize, text.numAttentionHeads);
  checkHeads('vision_config', vision.hiddenSize, vision.numAttentionHeads);
  if (vision.patchSize < 1 || vision.imageSize % vision.patchSize !== 0) {
    throw new InvalidArgumentError({
      message: `vision_config.image_size (${vision.imageSize}) must be divisible by patch_size (${vision.patchSize}).`,
    });
  }
  if (arch !== 'BlipForImageTextRetrieval' && !text.isDecoder) {
    throw new InvalidArgumentError({
      message: `${arch} needs cross-attention layers, but text_config.is_decoder is false (transformers builds no crossattention modules then).`,
    });
  }
  if (arch === 'BlipForQuestionAnswering' && text.hiddenSize !== vision.hiddenSize) {
    throw new InvalidArgumentError({
      message: `BlipForQuestionAnswering needs text_config.hidden_size (${text.hiddenSize}) = vision_config.hidden_size (${vision.hiddenSize}): the answer decoder's cross-attention keys/values are sized encoder_hidden_size (the vision width) but read the question embeddings.`,
    });
  }
  return {
    architecture: arch,
    projectionDim: int(raw, 'projection_dim', 512, 'config'),
    logitScaleInitValue: num(raw, 'logit_scale_init_value', 2.6592, 'config'),
    imageTextHiddenSize: int(raw, 'image_text_hidden_size', 256, 'config'),
    text,
    vision,
    raw,
  };
}
