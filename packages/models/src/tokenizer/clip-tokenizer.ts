import type { TokenizerBackend } from './backend.js';
import { basicTokenize } from './basic-tokenizer.js';
import { fromByteLevel, toByteLevel } from './byte-level.js';
import { ClipBpe, END_OF_WORD, parseMerges } from './clip-bpe.js';
import { createSlowBackend } from './slow-backend.js';
import { collectAddedTokens, resolveSpecialTokens } from './special-tokens.js';

/** The files of a CLIP slow tokenizer, already read. */
export interface ClipTokenizerFiles {
  /** `vocab.json` (token → id). */
  vocab: Record<string, number>;
  /** `merges.txt` contents. */
  merges: string;
  tokenizerConfig: Record<string, unknown>;
  specialTokensMap: Record<string, unknown>;
  addedTokens: Record<string, unknown>;
}

const START = '<|startoftext|>';
const END = '<|endoftext|>';

/** transformers' `CLIPTokenizer.pat` (applied to lower-cased text, so `re.IGNORECASE` changes nothing). */
const CLIP_PATTERN = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/gu;

/**
 * transformers' slow `CLIPTokenizer` (v4.36, without `ftfy`): text cleanup by `BasicTokenizer(strip_accents=False,
 * do_split_on_punc=False)` (control characters dropped, whitespace collapsed, CJK spaced, NFC, lower-case), the
 * CLIP regex pre-tokenizer, byte-level mapping, BPE with `</w>`, `<|startoftext|>` … `<|endoftext|>` around each
 * sequence; unknown symbols map to `unk_token`.
 */
export function createClipBackend(files: ClipTokenizerFiles): TokenizerBackend {
  const vocab = new Map(Object.entries(files.vocab));
  const special = resolveSpecialTokens(files.tokenizerConfig, files.specialTokensMap, {
    unk: END,
    bos: START,
    eos: END,
    pad: END,
  });
  const bpe = new ClipBpe(parseMerges(files.merges), [START, END]);
  const tokenizePlain = (text: string): string[] => {
    const cleaned = basicTokenize(text, { stripAccents: false, splitOnPunctuation: false }).join(' ');
    const out: string[] = [];
    for (const match of cleaned.matchAll(CLIP_PATTERN)) out.push(...bpe.apply(toByteLevel(match[0])));
    return out;
  };
  return createSlowBackend({
    kind: 'clip-bpe',
    vocab,
    added: collectAddedTokens(files.tokenizerConfig, files.addedTokens, special, vocab),
    special,
    tokenizePlain,
    tokensToString: (tokens) => fromByteLevel(tokens.join('')).replaceAll(END_OF_WORD, ' ').trim(),
    prefixTokens: [special.roles.bos ?? START],
    suffixTokens: [special.roles.eos ?? END],
  });
}
