import { codePoints, isChineseChar, isControl, isPunctuation, isWhitespace, pySplit, stripAccents } from './unicode.js';

/** Options of {@link basicTokenize}; the fields of transformers' `BasicTokenizer`. */
export interface BasicTokenizerOptions {
  /** Lower-case every token (default `true`). */
  doLowerCase?: boolean;
  /** Strip accents; `null`/`undefined` = follow `doLowerCase` (as the original BERT). */
  stripAccents?: boolean | null;
  /** Put spaces around CJK ideographs (default `true`). */
  tokenizeChineseChars?: boolean;
  /** Split punctuation into separate tokens (default `true`; CLIP's text cleanup uses `false`). */
  splitOnPunctuation?: boolean;
  /** Tokens kept as they are: not lower-cased, not split. */
  neverSplit?: ReadonlySet<string>;
}

/** `_clean_text`: drop NUL, U+FFFD and control characters; map every whitespace character to a space. */
function cleanText(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
    out += isWhitespace(ch) ? ' ' : ch;
  }
  return out;
}

/** `_tokenize_chinese_chars`: surround every CJK ideograph with spaces. */
function spaceChineseChars(text: string): string {
  let out = '';
  for (const ch of text) out += isChineseChar(ch.codePointAt(0) ?? 0) ? ` ${ch} ` : ch;
  return out;
}

/** `_run_split_on_punc`: every punctuation character becomes its own token. */
function splitOnPunctuation(token: string): string[] {
  const out: string[] = [];
  let startNewWord = true;
  for (const ch of codePoints(token)) {
    if (isPunctuation(ch)) {
      out.push(ch);
      startNewWord = true;
    } else {
      if (startNewWord) out.push('');
      startNewWord = false;
      out[out.length - 1] += ch;
    }
  }
  return out;
}

/**
 * transformers' `BasicTokenizer.tokenize` (v4.36): clean the text, space out CJK ideographs, NFC-normalize,
 * split on whitespace, lower-case and strip accents per token, split punctuation off.
 */
export function basicTokenize(text: string, options: BasicTokenizerOptions = {}): string[] {
  const doLowerCase = options.doLowerCase ?? true;
  const neverSplit = options.neverSplit ?? new Set<string>();
  const splitPunc = options.splitOnPunctuation ?? true;
  let cleaned = cleanText(text);
  if (options.tokenizeChineseChars ?? true) cleaned = spaceChineseChars(cleaned);
  const pieces: string[] = [];
  for (let token of pySplit(cleaned.normalize('NFC'))) {
    if (!neverSplit.has(token)) {
      if (doLowerCase) {
        token = token.toLowerCase();
        if (options.stripAccents !== false) token = stripAccents(token);
      } else if (options.stripAccents) {
        token = stripAccents(token);
      }
    }
    if (!splitPunc || neverSplit.has(token)) pieces.push(token);
    else pieces.push(...splitOnPunctuation(token));
  }
  return pySplit(pieces.join(' '));
}
