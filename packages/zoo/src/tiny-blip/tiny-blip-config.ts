import { InvalidArgumentError } from '@vlp/core';
import { OPENAI_CLIP_MEAN, OPENAI_CLIP_STD } from '@vlp/models';
import { BLIP_ENC_TOKEN, shapesVLBertTokenizerFiles } from '../tokenizer/bert-wordpiece-files.js';

/** Image side of the tiny BLIP models (Shapes-VL is rendered at this size; no resize happens). */
export const TINY_BLIP_IMAGE_SIZE = 64;

/**
 * Text length of the tiny BLIP models (`max_position_embeddings`): the longest Shapes-VL caption is
 * 31 tokens with `[CLS]` (or `[DEC]`) and `[SEP]`.
 */
export const TINY_BLIP_MAX_TOKENS = 32;

/** The three tiny BLIP checkpoints, by the Hugging Face class each one is. */
export const TINY_BLIP_ARCHITECTURES = {
  'tiny-blip-itm': 'BlipForImageTextRetrieval',
  'tiny-blip-caption': 'BlipForConditionalGeneration',
  'tiny-blip-vqa': 'BlipForQuestionAnswering',
} as const;
/** The name of a tiny BLIP checkpoint. */
export type TinyBlipName = keyof typeof TINY_BLIP_ARCHITECTURES;
/** The tiny BLIP names, in training order (retrieval first: the others start from its weights). */
export const TINY_BLIP_NAMES = Object.keys(TINY_BLIP_ARCHITECTURES) as TinyBlipName[];

/** The vision tower geometry of a tiny BLIP config: patch side and activation. */
export interface TinyBlipVision {
  readonly patchSize: number;
  /** `quick_gelu` (CLIP's, for a tower started from tiny-clip's) instead of BLIP's `gelu`. */
  readonly quickGelu: boolean;
}

/** The shipped checkpoints' vision (the `clip-vision` recipes): tiny-clip's 8-px patches and `quick_gelu`. */
export const SHIPPED_TINY_BLIP_VISION: TinyBlipVision = { patchSize: 8, quickGelu: true };
/** The `pixels` recipes' vision: 16-px patches, BLIP's `gelu`. */
export const PIXEL_TINY_BLIP_VISION: TinyBlipVision = { patchSize: 16, quickGelu: false };

/**
 * The `config.json` of a tiny BLIP checkpoint: a stock Hugging Face `BlipConfig` short config
 * (every omitted field is the transformers class default: `gelu`, LayerNorm eps 1e-12 text / 1e-5
 * vision, `pad_token_id` 0). ViT on 64-px images with `vision`'s patches (shipped, the
 * `clip-vision` recipes: 8 px — 64 patches + class token — and `quick_gelu`, tiny-clip's vision
 * tower, which those recipes start BLIP's from; the `pixels` recipes: 16 px and `gelu`), BERT text tower(s) with cross-attention over the Shapes-VL
 * WordPiece vocabulary and 32 positions; every tower 4 layers × 4 heads of 16, hidden 64, MLP 256
 * (ratio 4); ITC projection 64. Text and vision widths are equal, as `BlipForQuestionAnswering`
 * requires. The same config serves the three classes (only `architectures` differs), so weights
 * move between them by name. The `pixels` recipes use 16-px patches because a retrieval training
 * step on tfjs-wasm takes 2.7× less time with the whole model training on pixels.
 */
export function tinyBlipConfig(name: TinyBlipName, vision: TinyBlipVision = SHIPPED_TINY_BLIP_VISION): Record<string, unknown> {
  const tokenizer = shapesVLBertTokenizerFiles(TINY_BLIP_MAX_TOKENS);
  const tower = { hidden_size: 64, intermediate_size: 256, num_attention_heads: 4, num_hidden_layers: 4 };
  return {
    architectures: [TINY_BLIP_ARCHITECTURES[name]],
    image_text_hidden_size: 64,
    initializer_factor: 1.0,
    initializer_range: 0.02,
    logit_scale_init_value: 2.6592,
    model_type: 'blip',
    projection_dim: 64,
    text_config: {
      ...tower,
      bos_token_id: tokenizer.decTokenId,
      encoder_hidden_size: tower.hidden_size,
      max_position_embeddings: TINY_BLIP_MAX_TOKENS,
      model_type: 'blip_text_model',
      sep_token_id: tokenizer.sepTokenId,
      vocab_size: tokenizer.vocabSize,
    },
    torch_dtype: 'float32',
    transformers_version: '4.36.2',
    vision_config: {
      ...tower,
      image_size: TINY_BLIP_IMAGE_SIZE,
      ...(vision.quickGelu ? { hidden_act: 'quick_gelu' } : {}),
      model_type: 'blip_vision_model',
      patch_size: vision.patchSize,
    },
  };
}

/** The `preprocessor_config.json`: `BlipImageProcessor` at 64 × 64, bicubic, OpenAI mean / std. */
export function tinyBlipPreprocessorConfig(): Record<string, unknown> {
  return {
    do_convert_rgb: true,
    do_normalize: true,
    do_rescale: true,
    do_resize: true,
    image_mean: OPENAI_CLIP_MEAN,
    image_processor_type: 'BlipImageProcessor',
    image_std: OPENAI_CLIP_STD,
    resample: 3,
    rescale_factor: 1 / 255,
    size: { height: TINY_BLIP_IMAGE_SIZE, width: TINY_BLIP_IMAGE_SIZE },
  };
}

/** The `generation_config.json` `save_pretrained` writes for the generating classes (caption, VQA). */
export function tinyBlipGenerationConfig(): Record<string, unknown> {
  const tokenizer = shapesVLBertTokenizerFiles(TINY_BLIP_MAX_TOKENS);
  return { _from_model_config: true, bos_token_id: tokenizer.decTokenId, eos_token_id: 2, pad_token_id: tokenizer.padTokenId, transformers_version: '4.36.2' };
}

/**
 * Tokenizer, preprocessor (and for caption / VQA generation) files of a tiny BLIP checkpoint, file name → contents.
 * `encQuestions` (VQA only): the tokenizer's `cls_token` is `[ENC]`, so questions are encoded as the official BLIP VQA encodes them.
 */
export function tinyBlipSideFiles(name: TinyBlipName, options: { readonly encQuestions?: boolean } = {}): Record<string, string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  if (options.encQuestions && name !== 'tiny-blip-vqa') throw new InvalidArgumentError({ message: `encQuestions applies to tiny-blip-vqa only, not ${name}.`, actual: name });
  return {
    ...shapesVLBertTokenizerFiles(TINY_BLIP_MAX_TOKENS, { clsToken: options.encQuestions ? BLIP_ENC_TOKEN : '[CLS]' }).files,
    'preprocessor_config.json': json(tinyBlipPreprocessorConfig()),
    ...(name === 'tiny-blip-itm' ? {} : { 'generation_config.json': json(tinyBlipGenerationConfig()) }),
  };
}
