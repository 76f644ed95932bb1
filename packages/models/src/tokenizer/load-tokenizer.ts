import { access } from 'node:fs/promises';
import path from 'node:path';
import { ModelFileNotFoundError } from '@vlp/core';
import type { TokenizerBackend } from './backend.js';
import { createBertBackend } from './bert-tokenizer.js';
import { createClipBackend } from './clip-tokenizer.js';
import { createTokenizer } from './create-tokenizer.js';
import { createJsonBackend } from './json-tokenizer.js';
import { readJsonIfExists, readTextIfExists } from './model-files.js';
import { type SpecialRole, resolveSpecialTokens } from './special-tokens.js';
import type { LoadTokenizerOptions, TokenizerKind, VlpTokenizer } from './types.js';

type Json = Record<string, unknown>;

/** The files each kind needs, for error messages. */
const REQUIRED: Record<TokenizerKind, string[]> = {
  'tokenizer-json': ['tokenizer.json'],
  'clip-bpe': ['vocab.json', 'merges.txt'],
  'bert-wordpiece': ['vocab.txt'],
};

/** Class defaults of the special tokens (`CLIPTokenizer` / `BertTokenizer` constructors). */
const CLIP_DEFAULTS: Partial<Record<SpecialRole, string>> = {
  unk: '<|endoftext|>',
  bos: '<|startoftext|>',
  eos: '<|endoftext|>',
  pad: '<|endoftext|>',
};
const BERT_DEFAULTS: Partial<Record<SpecialRole, string>> = {
  unk: '[UNK]',
  sep: '[SEP]',
  pad: '[PAD]',
  cls: '[CLS]',
  mask: '[MASK]',
};

/** transformers' "no limit" `model_max_length` (`int(1e30)`) and anything near it means unknown. */
const NO_LIMIT = 1e29;

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Picks the implementation: the requested kind, else tokenizer.json, else the slow tokenizer matching the files. */
async function resolveKind(dir: string, requested: TokenizerKind | 'auto'): Promise<TokenizerKind> {
  const has = async (kind: TokenizerKind): Promise<boolean> => {
    for (const name of REQUIRED[kind]) if (!(await exists(path.join(dir, name)))) return false;
    return true;
  };
  const candidates: TokenizerKind[] =
    requested === 'auto' ? ['tokenizer-json', 'clip-bpe', 'bert-wordpiece'] : [requested];
  for (const kind of candidates) if (await has(kind)) return kind;
  const expected = candidates.map((k) => REQUIRED[k].join(' + '));
  throw new ModelFileNotFoundError({
    message:
      `No tokenizer files in ${dir}: expected ${expected.join(', or ')} ` +
      '(with tokenizer_config.json), as written by save_pretrained. Copy the tokenizer files of the checkpoint ' +
      'into this directory.',
    path: dir,
    expected: candidates.flatMap((k) => REQUIRED[k]),
  });
}

/** Default padding/truncation length: the text tower's `max_position_embeddings`, else `model_max_length`. */
function defaultMaxLength(config: Json | undefined, tokenizerConfig: Json): number | undefined {
  if (config) {
    const modelType = String(config.model_type ?? '');
    const text = (config.text_config ?? {}) as Json;
    const own = typeof text.max_position_embeddings === 'number' ? text.max_position_embeddings : undefined;
    if (modelType === 'clip') return own ?? 77;
    if (modelType === 'blip') return own ?? 512;
    if (typeof config.max_position_embeddings === 'number') return config.max_position_embeddings;
    if (modelType === 'clip_text_model') return 77;
    if (modelType === 'blip_text_model') return 512;
  }
  const limit = tokenizerConfig.model_max_length;
  return typeof limit === 'number' && limit < NO_LIMIT ? limit : undefined;
}

/**
 * Loads the tokenizer of a Hugging Face checkpoint directory.
 *
 * Uses `tokenizer.json` (+ `tokenizer_config.json`) through `@huggingface/tokenizers` when present, else the slow
 * tokenizer rebuilt from `vocab.json` + `merges.txt` (CLIP byte-level BPE) or `vocab.txt` (+ `added_tokens.json`,
 * BERT WordPiece, as BLIP uses), reproducing transformers v4.36 ids exactly. Special tokens come from
 * `special_tokens_map.json` / `tokenizer_config.json` (CLIP pads with `<|endoftext|>`).
 *
 * @throws ModelFileNotFoundError (`VLP_MODEL_FILE_NOT_FOUND`) when the directory has no tokenizer files.
 * @throws InvalidArgumentError (`VLP_INVALID_ARGUMENT`) when a tokenizer JSON file is malformed.
 */
export async function loadTokenizer(dir: string, options: LoadTokenizerOptions = {}): Promise<VlpTokenizer> {
  const kind = await resolveKind(dir, options.kind ?? 'auto');
  const tokenizerConfig = (await readJsonIfExists(dir, 'tokenizer_config.json')) ?? {};
  const specialTokensMap = (await readJsonIfExists(dir, 'special_tokens_map.json')) ?? {};
  const addedTokens = (await readJsonIfExists(dir, 'added_tokens.json')) ?? {};
  const config = await readJsonIfExists(dir, 'config.json');
  let backend: TokenizerBackend;
  let defaults: Partial<Record<SpecialRole, string>>;
  if (kind === 'tokenizer-json') {
    const tokenizerJson = (await readJsonIfExists(dir, 'tokenizer.json')) as Json;
    const model = (tokenizerJson.model ?? {}) as Json;
    defaults = model.type === 'WordPiece' ? BERT_DEFAULTS : model.end_of_word_suffix === '</w>' ? CLIP_DEFAULTS : {};
    backend = createJsonBackend(tokenizerJson, tokenizerConfig, path.join(dir, 'tokenizer.json'));
  } else if (kind === 'clip-bpe') {
    defaults = CLIP_DEFAULTS;
    const vocab = (await readJsonIfExists(dir, 'vocab.json')) as Record<string, number>;
    const merges = (await readTextIfExists(dir, 'merges.txt')) ?? '';
    backend = createClipBackend({ vocab, merges, tokenizerConfig, specialTokensMap, addedTokens });
  } else {
    defaults = BERT_DEFAULTS;
    const vocab = (await readTextIfExists(dir, 'vocab.txt')) ?? '';
    backend = createBertBackend({ vocab, tokenizerConfig, specialTokensMap, addedTokens });
  }
  return createTokenizer(backend, {
    dir,
    special: resolveSpecialTokens(tokenizerConfig, specialTokensMap, defaults),
    maxLength: options.maxLength ?? defaultMaxLength(config, tokenizerConfig),
    cleanUpTokenizationSpaces: tokenizerConfig.clean_up_tokenization_spaces !== false,
  });
}
