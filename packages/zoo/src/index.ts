export {
  EMBEDDED_MODELS,
  embeddedModelDir,
  isEmbeddedModelName,
  loadEmbeddedModel,
  UnknownEmbeddedModelError,
  type EmbeddedModelName,
  type EmbeddedModelTypes,
} from './embedded-models.js';
export { TINY_CLIP_IMAGE_SIZE, TINY_CLIP_MAX_TOKENS, tinyClipConfig, tinyClipPreprocessorConfig, tinyClipSideFiles } from './tiny-clip/tiny-clip-config.js';
export { TINY_CLIP_RECIPE, trainTinyClip, writeTinyClipSideFiles, type TrainTinyClipOptions } from './tiny-clip/train-tiny-clip.js';
export { CAPTIONS_PER_IMAGE, shapesVLPairData, type ClipPairBatch, type ShapesVLPairDataOptions } from './tiny-clip/shapes-vl-pairs.js';
export { objectTargets, patchUnder, disposeObjectTargets, OBJECT_TARGET_GROUPS, OBJECT_TARGET_LOGITS, type ObjectTargets } from './tiny-clip/object-targets.js';
export { evaluateTinyClip, TINY_CLIP_TEMPLATES, type EvaluateTinyClipOptions, type ShapesVLClipMetrics } from './tiny-clip/evaluate-tiny-clip.js';
export { TINY_CLIP_METRICS } from './tiny-clip/tiny-clip-metrics.js';
export { TINY_CLIP_SUBSET } from './tiny-clip/tiny-clip-subset.js';
export { METRICS_BEGIN, METRICS_END, renderMetricsSection, replaceMetricsSection } from './tiny-clip/metrics-table.js';
export { buildClipBpe, END_OF_TEXT, END_OF_WORD, START_OF_TEXT, type ClipBpeVocabulary } from './tokenizer/build-clip-bpe.js';
export { shapesVLTokenizerFiles, type ShapesVLTokenizerFiles } from './tokenizer/tokenizer-files.js';
export { shapesVLWords } from './tokenizer/shapes-vl-words.js';
export { bytesToUnicode, toByteSymbols } from './tokenizer/bytes-to-unicode.js';
export {
  TINY_BLIP_ARCHITECTURES,
  TINY_BLIP_IMAGE_SIZE,
  TINY_BLIP_MAX_TOKENS,
  TINY_BLIP_NAMES,
  tinyBlipConfig,
  tinyBlipGenerationConfig,
  tinyBlipPreprocessorConfig,
  tinyBlipSideFiles,
  type TinyBlipName,
  PIXEL_TINY_BLIP_VISION,
  SHIPPED_TINY_BLIP_VISION,
  type TinyBlipVision,
} from './tiny-blip/tiny-blip-config.js';
export {
  TINY_BLIP_PIXEL_RECIPES,
  TINY_BLIP_RECIPE_NAMES,
  TINY_BLIP_RECIPES,
  tinyBlipRecipes,
  trainTinyBlip,
  writeTinyBlipSideFiles,
  type TinyBlipRecipe,
  type TinyBlipRecipeName,
  type TrainTinyBlipOptions,
} from './tiny-blip/train-tiny-blip.js';
export { shapesVLBlipPairData, type BlipPairBatch, type ShapesVLBlipPairDataOptions } from './tiny-blip/blip-caption-data.js';
export { QUESTIONS_PER_IMAGE, shapesVLBlipVqaData, type BlipVqaBatch, type ShapesVLBlipVqaDataOptions } from './tiny-blip/blip-vqa-data.js';
export { blipVisionFromClip } from './tiny-blip/blip-vision-from-clip.js';
export { distilBlipVision, type DistilBlipVisionOptions } from './tiny-blip/distil-blip-vision.js';
export { distilBlipText, type DistilBlipTextOptions } from './tiny-blip/distil-blip-text.js';
export type { StageTrainOptions } from './training/stage-options.js';
export { cacheImageEmbeds, type CacheImageEmbedsOptions, type ImageEmbedsCache } from './tiny-blip/image-embeds-cache.js';
export {
  evaluateTinyBlip,
  evaluateTinyBlipCaptioning,
  evaluateTinyBlipRetrieval,
  evaluateTinyBlipVqa,
  TINY_BLIP_RERANK_K,
  type EvaluateTinyBlipOptions,
  type Recalls,
  type ShapesVLBlipMetrics,
} from './tiny-blip/evaluate-tiny-blip.js';
export { TINY_BLIP_METRICS } from './tiny-blip/tiny-blip-metrics.js';
export { TINY_BLIP_SUBSET } from './tiny-blip/tiny-blip-subset.js';
export { renderTinyBlipMetricsSection, replaceTinyBlipMetricsSection, TINY_BLIP_METRICS_BEGIN, TINY_BLIP_METRICS_END } from './tiny-blip/tiny-blip-metrics-table.js';
export { BERT_SPECIAL_TOKENS, BLIP_DEC_TOKEN, BLIP_ENC_TOKEN, shapesVLBertTokenizerFiles, type ShapesVLBertTokenizerFiles } from './tokenizer/bert-wordpiece-files.js';
export { withFastWasmMatMul } from './training/wasm-matmul.js';
export { applyHfClipInit } from './training/hf-clip-init.js';
