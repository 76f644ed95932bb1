import { Tokenizer } from '@huggingface/tokenizers';
import { NotSupportedError } from '@vlp/core';
import type { TokenizerBackend } from './backend.js';
import { pyStrip } from './unicode.js';

/**
 * A {@link TokenizerBackend} over `tokenizer.json` run by `@huggingface/tokenizers` (the fast tokenizer's
 * normalizer → pre-tokenizer → model → post-processor pipeline). Decoding follows transformers'
 * `PreTrainedTokenizerFast`; for BPE models with an end-of-word suffix (CLIP's `</w>`) the suffix becomes a
 * space and the text is stripped, as `CLIPTokenizerFast` does.
 */
export function createJsonBackend(
  tokenizerJson: Record<string, unknown>,
  tokenizerConfig: Record<string, unknown>,
  source = 'tokenizer.json',
): TokenizerBackend {
  let tk: Tokenizer;
  try {
    tk = new Tokenizer(tokenizerJson, tokenizerConfig);
  } catch (error) {
    throw new NotSupportedError({
      message:
        `@huggingface/tokenizers cannot load ${source} (${(error as Error).message}). Load the slow ` +
        'tokenizer instead: loadTokenizer(dir, { kind: "clip-bpe" }) or { kind: "bert-wordpiece" }.',
      path: source,
      cause: error,
    });
  }
  const model = (tokenizerJson.model ?? {}) as Record<string, unknown>;
  const suffix = model.end_of_word_suffix;
  const endOfWord = typeof suffix === 'string' && suffix !== '' ? suffix : undefined;
  const encodeContent = (text: string): number[] => tk.encode(text, { add_special_tokens: false }).ids;
  return {
    kind: 'tokenizer-json',
    vocabSize: tk.get_vocab(true).size,
    encodeContent,
    encodeWithSpecials(text) {
      const full = tk.encode(text, { add_special_tokens: true }).ids;
      const content = encodeContent(text);
      const at = findRun(full, content);
      return { prefix: full.slice(0, at), content, suffix: full.slice(at + content.length) };
    },
    tokenize: (text) => tk.tokenize(text, { add_special_tokens: false }),
    decodeRaw(ids, skipSpecialTokens) {
      if (ids.length === 0) return '';
      const text = tk.decode([...ids], { skip_special_tokens: skipSpecialTokens, clean_up_tokenization_spaces: false });
      return endOfWord === undefined ? text : pyStrip(text.replaceAll(endOfWord, ' '));
    },
    tokenToId: (token) => tk.token_to_id(token),
    idToToken: (id) => tk.id_to_token(id),
  };
}

/** Index of the first occurrence of `run` inside `seq` (0 for an empty run). */
function findRun(seq: readonly number[], run: readonly number[]): number {
  outer: for (let i = 0; i + run.length <= seq.length; i++) {
    for (let j = 0; j < run.length; j++) if (seq[i + j] !== run[j]) continue outer;
    return i;
  }
  throw new NotSupportedError({
    message:
      'tokenizer.json: the post-processor changed the ids of the text itself, so truncation cannot tell content ' +
      'from special tokens. Load the tokenizer with { kind: "clip-bpe" } or { kind: "bert-wordpiece" } instead.',
  });
}
