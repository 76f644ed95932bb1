/**
 * Public types of the text tokenizers (`loadTokenizer`).
 *
 * The behaviour mirrors Hugging Face transformers v4.36 (`CLIPTokenizer` / `BertTokenizer` and their fast
 * counterparts): same ids, same special tokens, same padding and truncation rules.
 */

/** Which implementation encodes the text. */
export type TokenizerKind =
  /** `tokenizer.json` run by `@huggingface/tokenizers` (the fast tokenizer's pipeline). */
  | 'tokenizer-json'
  /** CLIP byte-level BPE from `vocab.json` + `merges.txt` (transformers' slow `CLIPTokenizer`). */
  | 'clip-bpe'
  /** BERT WordPiece from `vocab.txt` (+ `added_tokens.json`) (transformers' slow `BertTokenizer`). */
  | 'bert-wordpiece';

/** Padding strategy, as transformers' `padding=` argument. */
export type PaddingStrategy =
  /** Pad every row to `maxLength`. */
  | 'max_length'
  /** Pad every row to the longest row of the batch. */
  | 'longest'
  /** No padding: rows keep their own lengths. */
  | false;

/** Options of {@link VlpTokenizer.encode}. Defaults follow transformers' `tokenizer(texts)`. */
export interface EncodeOptions {
  /** Padding strategy (default `false`). Padding is on the right with `padTokenId`, mask 0. */
  padding?: PaddingStrategy;
  /**
   * Truncate every row to `maxLength` tokens, special tokens included (default `false`). As transformers'
   * `longest_first` on single sequences: content tokens are dropped from the end, the special tokens kept.
   */
  truncation?: boolean;
  /** Length for `padding: 'max_length'` and `truncation` (default: the tokenizer's `maxLength`). */
  maxLength?: number;
  /** Add `<|startoftext|>`…`<|endoftext|>` (CLIP) or `[CLS]`…`[SEP]` (BERT) (default `true`). */
  addSpecialTokens?: boolean;
}

/** Result of {@link VlpTokenizer.encode}: one row per input text (rows differ in length only when unpadded). */
export interface EncodedBatch {
  /** Token ids, `[batch][length]`. */
  inputIds: number[][];
  /** 1 for real tokens, 0 for padding, `[batch][length]`. */
  attentionMask: number[][];
}

/** Options of {@link VlpTokenizer.decode}. */
export interface DecodeOptions {
  /** Drop special tokens (`<|endoftext|>`, `[CLS]`, `[PAD]`, `[DEC]`, ...) from the text (default `false`). */
  skipSpecialTokens?: boolean;
  /**
   * Apply transformers' `clean_up_tokenization` (`" ."` → `"."`, `" n't"` → `"n't"`, ...) (default: the
   * `clean_up_tokenization_spaces` of `tokenizer_config.json`, else `true`).
   */
  cleanUpTokenizationSpaces?: boolean;
}

/** Options of `loadTokenizer`. */
export interface LoadTokenizerOptions {
  /**
   * Default length for padding / truncation. Defaults to the text tower's `max_position_embeddings` from
   * `config.json` (class default when the config omits it), else `model_max_length` of `tokenizer_config.json`.
   */
  maxLength?: number;
  /**
   * Which implementation to use. `'auto'` (default) uses `tokenizer.json` when present and otherwise the slow
   * tokenizer matching the vocabulary files (`vocab.json` + `merges.txt` → `'clip-bpe'`, `vocab.txt` →
   * `'bert-wordpiece'`). Naming a kind forces it (its files must exist).
   */
  kind?: TokenizerKind | 'auto';
}

/** The ids of the special tokens a model needs; `undefined` when the tokenizer does not define that role. */
export interface SpecialTokenIds {
  bos?: number;
  eos?: number;
  unk?: number;
  pad?: number;
  cls?: number;
  sep?: number;
  mask?: number;
}

/** A loaded tokenizer. Stateless and safe to share; no method touches the file system. */
export interface VlpTokenizer {
  /** The implementation in use. */
  readonly kind: TokenizerKind;
  /** Directory it was loaded from. */
  readonly dir: string;
  /** Number of distinct tokens including added tokens (transformers' `len(tokenizer)`). */
  readonly vocabSize: number;
  /** Default length for `padding: 'max_length'` and `truncation`, if known. */
  readonly maxLength: number | undefined;
  /** Id used to pad rows (CLIP: `<|endoftext|>`; BERT: `[PAD]`); `undefined` if the tokenizer has no pad token. */
  readonly padTokenId: number | undefined;
  /** Ids of all special roles. */
  readonly specialTokenIds: Readonly<SpecialTokenIds>;
  /** Ids of every special token (skipped by `decode(..., { skipSpecialTokens: true })`). */
  readonly allSpecialIds: readonly number[];
  /** Encodes a batch of texts. */
  encode(texts: readonly string[], options?: EncodeOptions): EncodedBatch;
  /** Splits one text into token strings (no special tokens added). */
  tokenize(text: string): string[];
  /** Decodes one row of ids to text, as transformers' `tokenizer.decode`. */
  decode(ids: ArrayLike<number | bigint>, options?: DecodeOptions): string;
  /** Decodes several rows. */
  batchDecode(rows: ReadonlyArray<ArrayLike<number | bigint>>, options?: DecodeOptions): string[];
  /** Token string → id (`undefined` when unknown). */
  tokenToId(token: string): number | undefined;
  /** Id → token string (`undefined` when out of range). */
  idToToken(id: number): string | undefined;
}
