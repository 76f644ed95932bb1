export { loadTokenizer } from './load-tokenizer.js';
export { flattenBatch, type FlatEncodedBatch } from './pad-batch.js';
export type {
  DecodeOptions,
  EncodedBatch,
  EncodeOptions,
  LoadTokenizerOptions,
  PaddingStrategy,
  SpecialTokenIds,
  TokenizerKind,
  VlpTokenizer,
} from './types.js';
