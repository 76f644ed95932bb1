import { shapesVLWords } from './shapes-vl-words.js';

/** BERT's special tokens, first in the vocabulary (ids 0–4), as the HF BLIP fixtures lay them out. */
export const BERT_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
/** BLIP's decoder start token (`bos_token`), added after the WordPiece vocabulary. */
export const BLIP_DEC_TOKEN = '[DEC]';
/** BLIP's image-grounded encoder token (`additional_special_tokens`), added after `[DEC]`. */
export const BLIP_ENC_TOKEN = '[ENC]';

/**
 * Words of Shapes-VL VQA questions and answers that captions do not use ("what color is the ring?",
 * "how many shapes are there?", "where is the star?", "is the cross to the left of the ring?", "yes").
 */
const QUESTION_WORDS = ['what', 'color', 'size', 'how', 'many', 'are', 'where', 'object', 'yes', 'no', '?'] as const;

/** Characters that keep any other ASCII text encodable (BERT splits punctuation into single characters). */
const CHARACTERS = [...'!"#$%&\'()*+,-./0123456789:;<=>?@[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~'];

/** The tokenizer of the tiny BLIP models: file name → contents, and the ids a config needs. */
export interface ShapesVLBertTokenizerFiles {
  /** `vocab.txt`, `added_tokens.json`, `tokenizer_config.json`, `special_tokens_map.json`. */
  readonly files: Readonly<Record<string, string>>;
  /** WordPiece entries plus `[DEC]` and `[ENC]` (the config's `vocab_size`). */
  readonly vocabSize: number;
  readonly padTokenId: number;
  readonly sepTokenId: number;
  /** `[DEC]`: BLIP's `bos_token_id`. */
  readonly decTokenId: number;
  readonly encTokenId: number;
}

const addedToken = (content: string) => ({ content, lstrip: false, normalized: false, rstrip: false, single_word: false });

/**
 * A BERT WordPiece tokenizer for Shapes-VL in the files transformers' `BertTokenizer` reads for BLIP,
 * laid out as BLIP checkpoints (and the HF fixtures) do: `vocab.txt` = `[PAD] [UNK] [CLS] [SEP]
 * [MASK]`, the printable ASCII characters, `##` + every letter and digit, then every word of
 * Shapes-VL captions, questions and answers (each one token); `added_tokens.json` adds `[DEC]` (the
 * `bos_token`) and `[ENC]` (the additional special token) after it, as `BlipProcessor`'s tokenizer
 * does. Lower-cased; `modelMaxLength` is the text tower's `max_position_embeddings`. Deterministic.
 * `clsToken: '[ENC]'` makes `[ENC]` the `cls_token`, so every encoded text starts with it: a VQA
 * checkpoint trained that way has its questions encoded as the official BLIP encodes them
 * (`[ENC]` first), by transformers' `BlipProcessor` and vlp alike.
 */
export function shapesVLBertTokenizerFiles(modelMaxLength: number, options: { readonly clsToken?: '[CLS]' | typeof BLIP_ENC_TOKEN } = {}): ShapesVLBertTokenizerFiles {
  const cls = options.clsToken ?? '[CLS]';
  const pieces = [...'abcdefghijklmnopqrstuvwxyz0123456789'].map((c) => `##${c}`);
  const words = [...shapesVLWords(), ...QUESTION_WORDS].filter((w) => !CHARACTERS.includes(w));
  const vocab = [...new Set([...BERT_SPECIAL_TOKENS, ...CHARACTERS, ...pieces, ...words])];
  const decTokenId = vocab.length;
  const encTokenId = vocab.length + 1;
  const special = (content: string) => ({ ...addedToken(content), special: true });
  const decoder: Record<string, unknown> = {};
  BERT_SPECIAL_TOKENS.forEach((t, i) => {
    decoder[i] = special(t);
  });
  decoder[decTokenId] = special(BLIP_DEC_TOKEN);
  decoder[encTokenId] = special(BLIP_ENC_TOKEN);
  const tokenizerConfig = {
    added_tokens_decoder: decoder,
    additional_special_tokens: [BLIP_ENC_TOKEN],
    bos_token: BLIP_DEC_TOKEN,
    clean_up_tokenization_spaces: true,
    cls_token: cls,
    do_basic_tokenize: true,
    do_lower_case: true,
    mask_token: '[MASK]',
    model_max_length: modelMaxLength,
    never_split: null,
    pad_token: '[PAD]',
    sep_token: '[SEP]',
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: 'BertTokenizer',
    unk_token: '[UNK]',
  };
  const specialTokensMap = {
    additional_special_tokens: [addedToken(BLIP_ENC_TOKEN)],
    bos_token: addedToken(BLIP_DEC_TOKEN),
    cls_token: cls === '[CLS]' ? cls : addedToken(cls),
    mask_token: '[MASK]',
    pad_token: '[PAD]',
    sep_token: '[SEP]',
    unk_token: '[UNK]',
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    files: {
      'vocab.txt': `${vocab.join('\n')}\n`,
      'added_tokens.json': json({ [BLIP_DEC_TOKEN]: decTokenId, [BLIP_ENC_TOKEN]: encTokenId }),
      'tokenizer_config.json': json(tokenizerConfig),
      'special_tokens_map.json': json(specialTokensMap),
    },
    vocabSize: vocab.length + 2,
    padTokenId: 0,
    sepTokenId: 3,
    decTokenId,
    encTokenId,
  };
}
