import { codePoints, pySplit } from './unicode.js';

/** Words longer than this many characters become the unknown token (transformers' default). */
const MAX_INPUT_CHARS_PER_WORD = 100;

/**
 * transformers' `WordpieceTokenizer.tokenize`: greedy longest-match-first over each whitespace-separated word,
 * continuation pieces prefixed with `##`; a word with any unmatchable rest becomes `unkToken` as a whole.
 */
export function wordpieceTokenize(text: string, vocab: ReadonlyMap<string, number>, unkToken: string): string[] {
  const out: string[] = [];
  for (const word of pySplit(text)) {
    const chars = codePoints(word);
    if (chars.length > MAX_INPUT_CHARS_PER_WORD) {
      out.push(unkToken);
      continue;
    }
    const pieces: string[] = [];
    let start = 0;
    let bad = false;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | undefined;
      while (start < end) {
        const sub = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        if (vocab.has(sub)) {
          found = sub;
          break;
        }
        end -= 1;
      }
      if (found === undefined) {
        bad = true;
        break;
      }
      pieces.push(found);
      start = end;
    }
    if (bad) out.push(unkToken);
    else out.push(...pieces);
  }
  return out;
}
