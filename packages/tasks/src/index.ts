export { type ScoreMatrix } from './metrics/score-matrix.js';
export { retrievalRecall, type RecallAtK, type RetrievalOptions, type RetrievalResult } from './metrics/retrieval.js';
export { topKAccuracy, zeroShotAccuracy, type ZeroShotAccuracy } from './metrics/zero-shot-accuracy.js';
export { type CaptionSample, type CaptionTokenization } from './metrics/caption-samples.js';
export { corpusBleu, type BleuOptions, type BleuResult } from './metrics/bleu.js';
export { ciderD, type CiderDOptions, type CiderDResult } from './metrics/cider-d.js';
export { COCO_PUNCTUATIONS, ptbTokenize } from './metrics/ptb/ptb-tokenize.js';
export { normalizeVqaAnswer, processVqaDigitArticle, processVqaPunctuation } from './metrics/vqa-normalize.js';
export { vqaAccuracy, vqaScore, type VqaAccuracyResult, type VqaSample } from './metrics/vqa-accuracy.js';
