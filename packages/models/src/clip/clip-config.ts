import { InvalidArgumentError } from '@vlp/core';
import { act, type HiddenAct, type Json, num, obj } from '../config/json-fields.js';

/** CLIP text tower config, camelCase, every default filled as transformers v4.36 CLIPTextConfig does. */
export interface ClipTextConfig {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly maxPositionEmbeddings: number;
  readonly hiddenAct: HiddenAct;
  readonly layerNormEps: number;
  readonly padTokenId: number;
  readonly bosTokenId: number;
  readonly eosTokenId: number;
}

/** CLIP vision tower config (CLIPVisionConfig defaults). */
export interface ClipVisionConfig {
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  readonly numChannels: number;
  readonly imageSize: number;
  readonly patchSize: number;
  readonly hiddenAct: HiddenAct;
  readonly layerNormEps: number;
}

export interface ClipConfig {
  readonly architecture: 'CLIPModel';
  readonly projectionDim: number;
  readonly logitScaleInitValue: number;
  readonly text: ClipTextConfig;
  readonly vision: ClipVisionConfig;
  /** The config.json object as read (written back on save, so unknown fields survive). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export type { HiddenAct } from '../config/json-fields.js';

const TEXT_DEFAULTS = {
  vocab_size: 49408,
  hidden_size: 512,
  intermediate_size: 2048,
  num_hidden_layers: 12,
  num_attention_heads: 8,
  max_position_embeddings: 77,
  hidden_act: 'quick_gelu',
  layer_norm_eps: 1e-5,
  pad_token_id: 1,
  bos_token_id: 49406,
  eos_token_id: 49407,
};

const VISION_DEFAULTS = {
  hidden_size: 768,
  intermediate_size: 3072,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  num_channels: 3,
  image_size: 224,
  patch_size: 32,
  hidden_act: 'quick_gelu',
  layer_norm_eps: 1e-5,
};

/** Merges `x_config` with the legacy `x_config_dict` (the dict wins, as in transformers). */
function towerSource(raw: Json, key: 'text' | 'vision'): Json {
  return { ...obj(raw[`${key}_config`]), ...obj(raw[`${key}_config_dict`]) };
}

/** Parses a CLIPModel config.json object, filling class defaults exactly like transformers. */
export function parseClipConfig(raw: Json): ClipConfig {
  const t = towerSource(raw, 'text');
  const v = towerSource(raw, 'vision');
  const text: ClipTextConfig = {
    vocabSize: num(t, 'vocab_size', TEXT_DEFAULTS.vocab_size, 'text_config'),
    hiddenSize: num(t, 'hidden_size', TEXT_DEFAULTS.hidden_size, 'text_config'),
    intermediateSize: num(t, 'intermediate_size', TEXT_DEFAULTS.intermediate_size, 'text_config'),
    numHiddenLayers: num(t, 'num_hidden_layers', TEXT_DEFAULTS.num_hidden_layers, 'text_config'),
    numAttentionHeads: num(t, 'num_attention_heads', TEXT_DEFAULTS.num_attention_heads, 'text_config'),
    maxPositionEmbeddings: num(t, 'max_position_embeddings', TEXT_DEFAULTS.max_position_embeddings, 'text_config'),
    hiddenAct: act(t, TEXT_DEFAULTS.hidden_act, 'text_config'),
    layerNormEps: num(t, 'layer_norm_eps', TEXT_DEFAULTS.layer_norm_eps, 'text_config'),
    padTokenId: num(t, 'pad_token_id', TEXT_DEFAULTS.pad_token_id, 'text_config'),
    bosTokenId: num(t, 'bos_token_id', TEXT_DEFAULTS.bos_token_id, 'text_config'),
    eosTokenId: num(t, 'eos_token_id', TEXT_DEFAULTS.eos_token_id, 'text_config'),
  };
  const vision: ClipVisionConfig = {
    hiddenSize: num(v, 'hidden_size', VISION_DEFAULTS.hidden_size, 'vision_config'),
    intermediateSize: num(v, 'intermediate_size', VISION_DEFAULTS.intermediate_size, 'vision_config'),
    numHiddenLayers: num(v, 'num_hidden_layers', VISION_DEFAULTS.num_hidden_layers, 'vision_config'),
    numAttentionHeads: num(v, 'num_attention_heads', VISION_DEFAULTS.num_attention_heads, 'vision_config'),
    numChannels: num(v, 'num_channels', VISION_DEFAULTS.num_channels, 'vision_config'),
    imageSize: num(v, 'image_size', VISION_DEFAULTS.image_size, 'vision_config'),
    patchSize: num(v, 'patch_size', VISION_DEFAULTS.patch_size, 'vision_config'),
    hiddenAct: act(v, VISION_DEFAULTS.hidden_act, 'vision_config'),
    layerNormEps: num(v, 'layer_norm_eps', VISION_DEFAULTS.layer_norm_eps, 'vision_config'),
  };
  for (const [name, tower] of [['text_config', text], ['vision_config', vision]] as const) {
    if (tower.hiddenSize % tower.numAttentionHeads !== 0) {
      throw new InvalidArgumentError({
        message: `${name}.hidden_size (${tower.hiddenSize}) must be divisible by num_attention_heads (${tower.numAttentionHeads}).`,
      });
    }
  }
  if (vision.imageSize % vision.patchSize !== 0) {
    throw new InvalidArgumentError({
      message: `vision_config.image_size (${vision.imageSize}) must be divisible by patch_size (${vision.patchSize}).`,
    });
  }
  return {
    architecture: 'CLIPModel',
    projectionDim: num(raw, 'projection_dim', 512, 'config'),
    logitScaleInitValue: num(raw, 'logit_scale_init_value', 2.6592, 'config'),
    text,
    vision,
    raw,
  };
}
