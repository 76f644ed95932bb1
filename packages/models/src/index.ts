export { loadModel, readModelConfig, SUPPORTED_ARCHITECTURES, type LoadModelOptions } from './load-model.js';
export { ClipModel, type ClipContrastiveBatch, type ClipDifferentiableOptions, type ClipForwardInput, type ClipForwardOutput, type ClipTowerOutput } from './clip/clip-model.js';
export { parseClipConfig, type ClipConfig, type ClipTextConfig, type ClipVisionConfig, type HiddenAct } from './clip/clip-config.js';
export { clipArchFromConfig, type ClipArch, type LayerShape, type TowerArch } from './clip/clip-arch.js';
export { clipView, type ClipBatch } from './clip/clip-view.js';
export { compactClip } from './clip/clip-compact.js';
export { createRandomClip } from './clip/clip-random.js';
export { clipContrastiveLoss } from './clip/clip-loss.js';
export { describeClip, describeClipText, describeClipVision } from './clip/clip-describe.js';
export { zeroShotClassify, type ZeroShotOptions } from './clip/zero-shot.js';
export { ModelView, type ViewAdapter, type BatchForward } from './view/model-view.js';
export { gatesForMask } from './view/structure-plan.js';
export { ParamStore, type StoredParam } from './weights/param-store.js';
export { ModelRunner, type RunSpec } from './engine/model-runner.js';
export { OnnxEngine, type OnnxEngineOptions, type HostTensor } from './engine/onnx-engine.js';
export { resolveEngine } from './engine/executor.js';
export type { Ops, Dim, InputDtype } from './ops/ops.js';
export { TfjsOps } from './ops/tfjs-ops.js';
export { OnnxOps, type ParamBinding, type BoundParam } from './ops/onnx-ops.js';
export { DescribeContext, type DescribeOptions } from './ops/describe-context.js';
export * from './tokenizer/index.js';
export * from './preprocess/index.js';
export * from './onnx/index.js';
export { saveModel, type SaveModelOptions, type SavedModel } from './save/save-model.js';
export type { SavedGeometry } from './save/clip-checkpoint-plan.js';
export {
  VLP_LAYER_SHAPES_KEY,
  VLP_LAYER_SHAPES_VERSION,
  readVlpLayerShapes,
  encodeVlpLayerShapes,
  type VlpLayerShapesField,
  type VlpLayerShapeEntry,
} from './save/vlp-layer-shapes.js';
export { SIDE_FILES } from './save/side-files.js';
export { exportOnnx, DEFAULT_EXTERNAL_DATA_THRESHOLD, type ExportOnnxOptions, type ExportedOnnx, type ExportedOnnxFile } from './export/export-onnx.js';
export { CLIP_ONNX_GRAPHS, type ClipOnnxGraph } from './export/clip-onnx-graphs.js';
export { BlipModelBase, type BlipVisionOutput, type BlipCallOptions } from './blip/blip-model-base.js';
export { BlipForImageTextRetrieval, type BlipRetrievalInput, type BlipRetrievalOutput } from './blip/blip-retrieval-model.js';
export { BlipForConditionalGeneration, type BlipCaptionInput, type BlipCaptionOutput, type BlipCaptionGenerateOptions } from './blip/blip-caption-model.js';
export { BlipForQuestionAnswering, type BlipVqaInput, type BlipVqaOutput, type BlipVqaGenerateOptions } from './blip/blip-vqa-model.js';
export { parseBlipConfig, type BlipConfig, type BlipTextConfig, type BlipVisionConfig, type BlipArchitecture } from './blip/blip-config.js';
export { blipArchFromConfig, type BlipArch, type BertTowerArch } from './blip/blip-arch.js';
export { expectedBlipParams, BLIP_PARAM_ALIASES } from './blip/blip-params.js';
export type { GenerateOutput } from './blip/blip-generate.js';
export { type BlipModel, BLIP_ARCHITECTURES } from './blip/load-blip.js';
export { blipView } from './blip/blip-view.js';
export type { BlipRetrievalBatch, BlipRetrievalForward, BlipCaptionBatch, BlipVqaBatch, BlipViewBatch } from './blip/blip-view-batch.js';
export { blipViewLayout, type BlipViewOptions } from './blip/blip-view-layout.js';
export { compactBlip } from './blip/blip-compact.js';
export type { GenerationOptions, GenerationLength } from './blip/blip-generate.js';
export { beamSearch, type BeamSearchArgs } from './blip/blip-beam-search.js';
export { BeamSearchScorer, BeamHypotheses, type EarlyStopping } from './blip/blip-beam-scorer.js';
export {
  type LogitsProcessor,
  type LogitsProcessorOptions,
  buildLogitsProcessors,
  minLengthProcessor,
  minNewTokensProcessor,
  repetitionPenaltyProcessor,
  noRepeatNgramProcessor,
} from './blip/blip-logits-processors.js';
export { blipItmLoss, type BlipItmLossBatch, type BlipItmLossOptions, type HardNegativeOptions } from './blip/blip-itm-loss.js';
export { blipItcLoss, BLIP_ITC_TEMPERATURE, type BlipItcLossBatch, type BlipItcLossOptions } from './blip/blip-itc-loss.js';
export { blipCaptionLmLoss, blipVqaLmLoss, type BlipLmLossOptions, type BlipVqaLmLossOptions, type BlipCaptionLmBatch, type BlipVqaLmBatch } from './blip/blip-lm-loss.js';
export { mineHardNegatives, type HardNegatives } from './blip/blip-hard-negatives.js';
export type { DifferentiableOptions } from './blip/blip-loss-common.js';
export type { EncTokenOption } from './blip/blip-enc-token.js';
export { blipRetrievalScores, BLIP_RETRIEVAL_UNSCORED, type BlipRetrievalSet, type BlipRetrievalScoreOptions, type BlipRetrievalScores } from './blip/blip-retrieval-protocol.js';
export { blipRankAnswers, type BlipAnswerRankingInput, type BlipRankAnswersOptions, type RankedAnswers } from './blip/blip-rank-answers.js';
export { createRandomBlip, BLIP_RANDOM_STD } from './blip/blip-random.js';
export { BLIP_ONNX_GRAPHS, type BlipOnnxGraph } from './export/blip-onnx-graphs.js';
export { BLIP_DEFAULT_MAX_SEQUENCE_LENGTH } from './export/blip-export-onnx.js';
