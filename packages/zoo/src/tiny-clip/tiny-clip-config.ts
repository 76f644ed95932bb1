import { OPENAI_CLIP_MEAN, OPENAI_CLIP_STD } from '@vlp/models';
import { shapesVLTokenizerFiles } from '../tokenizer/tokenizer-files.js';

/** Image side of tiny-clip (Shapes-VL is rendered at this size; no resize happens). */
export const TINY_CLIP_IMAGE_SIZE = 64;

/**
 * Text length of tiny-clip (`max_position_embeddings`): the longest Shapes-VL caption is 31 tokens
 * with `<|startoftext|>` and `<|endoftext|>` (three objects, each "in the bottom right corner").
 */
export const TINY_CLIP_MAX_TOKENS = 32;

/** The geometry of tiny-clip that its recipe can change (see {@link tinyClipConfig}). */
export interface TinyClipGeometry {
  /** Hidden size of both towers and of the projection; MLP is 4× (default 64). */
  readonly hiddenSize?: number;
  /** ViT patch side in pixels (default 8). */
  readonly patchSize?: number;
}

/**
 * tiny-clip's `config.json`: a stock Hugging Face `CLIPModel` short config (every omitted field is
 * the transformers class default: `quick_gelu`, LayerNorm eps 1e-5, attention dropout 0). A ViT on
 * 64-px images and a text transformer over the Shapes-VL BPE vocabulary with 32 positions; both
 * towers 4 layers × 4 heads with MLP ratio 4, hidden size and patch size as `geometry` says
 * (defaults, the shipped checkpoint's: hidden 64, projection 64, 8-px patches — 64 patches + the
 * class token; 16-px patches left the main object's shape nearly unlearned).
 */
export function tinyClipConfig(geometry: TinyClipGeometry = {}): Record<string, unknown> {
  const hidden = geometry.hiddenSize ?? 64;
  const tokenizer = shapesVLTokenizerFiles(TINY_CLIP_MAX_TOKENS);
  const tower = { hidden_size: hidden, intermediate_size: 4 * hidden, num_attention_heads: 4, num_hidden_layers: 4 };
  return {
    architectures: ['CLIPModel'],
    initializer_factor: 1.0,
    logit_scale_init_value: 2.6592,
    model_type: 'clip',
    projection_dim: hidden,
    text_config: {
      ...tower,
      bos_token_id: tokenizer.bosTokenId,
      eos_token_id: tokenizer.eosTokenId,
      max_position_embeddings: TINY_CLIP_MAX_TOKENS,
      model_type: 'clip_text_model',
      pad_token_id: tokenizer.eosTokenId,
      vocab_size: tokenizer.vocabSize,
    },
    torch_dtype: 'float32',
    transformers_version: '4.36.2',
    vision_config: {
      ...tower,
      image_size: TINY_CLIP_IMAGE_SIZE,
      model_type: 'clip_vision_model',
      patch_size: geometry.patchSize ?? 8,
    },
  };
}

/** tiny-clip's `preprocessor_config.json`: `CLIPImageProcessor` at 64 px (crop 64), OpenAI mean/std. */
export function tinyClipPreprocessorConfig(): Record<string, unknown> {
  return {
    crop_size: { height: TINY_CLIP_IMAGE_SIZE, width: TINY_CLIP_IMAGE_SIZE },
    do_center_crop: true,
    do_convert_rgb: true,
    do_normalize: true,
    do_rescale: true,
    do_resize: true,
    image_mean: OPENAI_CLIP_MEAN,
    image_processor_type: 'CLIPImageProcessor',
    image_std: OPENAI_CLIP_STD,
    resample: 3,
    rescale_factor: 1 / 255,
    size: { shortest_edge: TINY_CLIP_IMAGE_SIZE },
  };
}

/** Tokenizer and preprocessor files of tiny-clip, file name → contents (what `saveModel` copies beside the weights). */
export function tinyClipSideFiles(): Record<string, string> {
  return {
    ...shapesVLTokenizerFiles(TINY_CLIP_MAX_TOKENS).files,
    'preprocessor_config.json': `${JSON.stringify(tinyClipPreprocessorConfig(), null, 2)}\n`,
  };
}
