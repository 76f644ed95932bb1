import { OPENAI_CLIP_MEAN, OPENAI_CLIP_STD } from '@vlp/models';
import { shapesVLTokenizerFiles } from '../tokenizer/tokenizer-files.js';

/** Image side of tiny-clip (Shapes-VL is rendered at this size; no resize happens). */
export const TINY_CLIP_IMAGE_SIZE = 64;

/**
 * Text length of tiny-clip (`max_position_embeddings`): the longest Shapes-VL caption is 31 tokens
 * with `<|startoftext|>` and `<|endoftext|>` (three objects, each "in the bottom right corner").
 */
export const TINY_CLIP_MAX_TOKENS = 32;

/**
 * tiny-clip's `config.json`: a stock Hugging Face `CLIPModel` short config (every omitted field is
 * the transformers class default: `quick_gelu`, LayerNorm eps 1e-5, attention dropout 0). ViT with
 * 16-px patches on 64-px images (16 patches + class token), a text transformer over the Shapes-VL
 * BPE vocabulary with 32 positions; both towers 4 layers × 4 heads, hidden 128, MLP 512 (ratio 4),
 * projection 128. 16-px rather than 8-px patches: a training step on tfjs-wasm takes about half
 * the time (the whole recipe fits the 45-minute CPU budget).
 */
export function tinyClipConfig(): Record<string, unknown> {
  const tokenizer = shapesVLTokenizerFiles(TINY_CLIP_MAX_TOKENS);
  const tower = { hidden_size: 128, intermediate_size: 512, num_attention_heads: 4, num_hidden_layers: 4 };
  return {
    architectures: ['CLIPModel'],
    initializer_factor: 1.0,
    logit_scale_init_value: 2.6592,
    model_type: 'clip',
    projection_dim: 128,
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
      patch_size: 16,
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
