import { buildClipBpe, END_OF_TEXT, START_OF_TEXT } from './build-clip-bpe.js';
import { shapesVLWords } from './shapes-vl-words.js';

/** The tokenizer of the tiny CLIP models: file name → contents, and the ids a config needs. */
export interface ShapesVLTokenizerFiles {
  /** `vocab.json`, `merges.txt`, `tokenizer_config.json`, `special_tokens_map.json`. */
  readonly files: Readonly<Record<string, string>>;
  readonly vocabSize: number;
  readonly bosTokenId: number;
  /** `<|endoftext|>`: end, pad and unknown token; the highest id, as in OpenAI's CLIP. */
  readonly eosTokenId: number;
}

const specialToken = (content: string) => ({ content, lstrip: false, normalized: true, rstrip: false, single_word: false });

/**
 * A CLIP BPE tokenizer for Shapes-VL in the files transformers' `CLIPTokenizer` reads
 * (`vocab.json`, `merges.txt` with `#version: 0.2`, `tokenizer_config.json`,
 * `special_tokens_map.json`): every Shapes-VL word is one token ending in `</w>`, the 512 byte-level
 * base symbols keep any other text encodable. `modelMaxLength` is the text tower's
 * `max_position_embeddings`. Deterministic: the same files on every call.
 */
export function shapesVLTokenizerFiles(modelMaxLength: number): ShapesVLTokenizerFiles {
  const { vocab, merges } = buildClipBpe(shapesVLWords());
  const bosTokenId = vocab[START_OF_TEXT] as number;
  const eosTokenId = vocab[END_OF_TEXT] as number;
  const tokenizerConfig = {
    added_tokens_decoder: {
      [bosTokenId]: { ...specialToken(START_OF_TEXT), special: true },
      [eosTokenId]: { ...specialToken(END_OF_TEXT), special: true },
    },
    bos_token: START_OF_TEXT,
    clean_up_tokenization_spaces: true,
    eos_token: END_OF_TEXT,
    errors: 'replace',
    model_max_length: modelMaxLength,
    pad_token: END_OF_TEXT,
    tokenizer_class: 'CLIPTokenizer',
    unk_token: END_OF_TEXT,
  };
  const specialTokensMap = {
    bos_token: specialToken(START_OF_TEXT),
    eos_token: specialToken(END_OF_TEXT),
    pad_token: END_OF_TEXT,
    unk_token: specialToken(END_OF_TEXT),
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    files: {
      'vocab.json': json(vocab),
      'merges.txt': `#version: 0.2\n${merges.join('\n')}\n`,
      'tokenizer_config.json': json(tokenizerConfig),
      'special_tokens_map.json': json(specialTokensMap),
    },
    vocabSize: Object.keys(vocab).length,
    bosTokenId,
    eosTokenId,
  };
}
