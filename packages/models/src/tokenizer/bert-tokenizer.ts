import type { TokenizerBackend } from './backend.js';
import { basicTokenize } from './basic-tokenizer.js';
import { createSlowBackend } from './slow-backend.js';
import { allSpecialTokens, collectAddedTokens, resolveSpecialTokens } from './special-tokens.js';
import { pyStrip } from './unicode.js';
import { wordpieceTokenize } from './wordpiece.js';

/** The files of a BERT slow tokenizer, already read. */
export interface BertTokenizerFiles {
  /** `vocab.txt` contents (one token per line, id = line number). */
  vocab: string;
  tokenizerConfig: Record<string, unknown>;
  specialTokensMap: Record<string, unknown>;
  /** `added_tokens.json` (token → id), `{}` when absent. */
  addedTokens: Record<string, unknown>;
}

/** transformers' `load_vocab`: line i (trailing `\n` removed) has id i; a repeated token keeps its last id. */
export function parseVocabTxt(text: string): Map<string, number> {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const vocab = new Map<string, number>();
  lines.forEach((token, id) => vocab.set(token, id));
  return vocab;
}

/**
 * transformers' slow `BertTokenizer` (v4.36) as BLIP uses it: lower-casing outside special tokens, added tokens
 * (`[DEC]`, `[ENC]`, ...) split out whole, `BasicTokenizer` (cleanup, CJK spacing, NFC, lower-case, accent
 * stripping, punctuation splitting), greedy WordPiece with `##`, `[CLS]` … `[SEP]` around each sequence.
 */
export function createBertBackend(files: BertTokenizerFiles): TokenizerBackend {
  const cfg = files.tokenizerConfig;
  const vocab = parseVocabTxt(files.vocab);
  const special = resolveSpecialTokens(cfg, files.specialTokensMap, {
    unk: '[UNK]',
    sep: '[SEP]',
    pad: '[PAD]',
    cls: '[CLS]',
    mask: '[MASK]',
  });
  const doLowerCase = cfg.do_lower_case !== false;
  const configNeverSplit = new Set(Array.isArray(cfg.never_split) ? cfg.never_split.map(String) : []);
  const neverSplit = new Set([...configNeverSplit, ...allSpecialTokens(special)]);
  const unk = special.roles.unk ?? '[UNK]';
  const basicOptions = {
    doLowerCase,
    stripAccents: typeof cfg.strip_accents === 'boolean' ? cfg.strip_accents : null,
    tokenizeChineseChars: cfg.tokenize_chinese_chars !== false,
    neverSplit,
  };
  const tokenizePlain = (text: string): string[] => {
    if (cfg.do_basic_tokenize === false) return wordpieceTokenize(text, vocab, unk);
    return basicTokenize(text, basicOptions).flatMap((token) =>
      configNeverSplit.has(token) ? [token] : wordpieceTokenize(token, vocab, unk),
    );
  };
  return createSlowBackend({
    kind: 'bert-wordpiece',
    vocab,
    added: collectAddedTokens(cfg, files.addedTokens, special, vocab),
    special,
    tokenizePlain,
    tokensToString: (tokens) => pyStrip(tokens.join(' ').replaceAll(' ##', '')),
    prefixTokens: [special.roles.cls ?? '[CLS]'],
    suffixTokens: [special.roles.sep ?? '[SEP]'],
    lowerCaseOutsideSpecials: doLowerCase,
  });
}
