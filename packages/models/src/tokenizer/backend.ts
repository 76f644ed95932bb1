import type { TokenizerKind } from './types.js';

/**
 * What each tokenizer implementation provides; padding, truncation, batching and special-token bookkeeping sit on
 * top of it (`createTokenizer`).
 */
export interface TokenizerBackend {
  readonly kind: TokenizerKind;
  /** Number of distinct tokens including added tokens. */
  readonly vocabSize: number;
  /** Ids of one text without special tokens. */
  encodeContent(text: string): number[];
  /** Ids of one text with the special tokens the model expects, split as `[prefix, content, suffix]`. */
  encodeWithSpecials(text: string): { prefix: number[]; content: number[]; suffix: number[] };
  /** Token strings of one text, no special tokens added. */
  tokenize(text: string): string[];
  /** Text of `ids` before `clean_up_tokenization` (that step is applied by the caller). */
  decodeRaw(ids: readonly number[], skipSpecialTokens: boolean): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
}

/** transformers' `clean_up_tokenization`: removes the spaces the tokenizers put before punctuation and contractions. */
export function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}
