import { InvalidArgumentError } from '@vlp/core';
import { bytesToUnicode, toByteSymbols } from './bytes-to-unicode.js';

/** CLIP's end-of-word marker. */
export const END_OF_WORD = '</w>';
/** CLIP's start-of-text token. */
export const START_OF_TEXT = '<|startoftext|>';
/** CLIP's end-of-text token (also its pad and unknown token). */
export const END_OF_TEXT = '<|endoftext|>';

/** A CLIP BPE vocabulary: `vocab.json` contents and the merges of `merges.txt`, in rank order. */
export interface ClipBpeVocabulary {
  /** Token → id: 256 byte symbols, the same with `</w>`, one token per merge, then the two special tokens. */
  readonly vocab: Readonly<Record<string, number>>;
  /** Merges in rank order, `"first second"`. */
  readonly merges: readonly string[];
}

function pairKey(a: string, b: string): string {
  return `${a} ${b}`;
}

/**
 * Learns byte-level BPE merges until every word of `words` is one symbol, then lays out the
 * vocabulary exactly as OpenAI's CLIP does (`bytes_to_unicode` symbols, the same with `</w>`, the
 * merged tokens in merge order, `<|startoftext|>`, `<|endoftext|>` last). Each step merges the most
 * frequent adjacent pair over the distinct words (ties: the lexicographically smallest pair), so the
 * result is deterministic, and applying the merges by rank (as CLIP's tokenizer does) turns every
 * word into the single token `<word></w>`. Any other text still encodes, from the byte symbols.
 *
 * @throws InvalidArgumentError for an empty word or one containing whitespace.
 */
export function buildClipBpe(words: readonly string[]): ClipBpeVocabulary {
  const symbolsOf = (w: string): string[] => {
    if (w.length === 0 || /\s/.test(w)) throw new InvalidArgumentError({ message: `Vocabulary words must be non-empty and without whitespace; got ${JSON.stringify(w)}.`, actual: w });
    const s = toByteSymbols(w);
    s[s.length - 1] += END_OF_WORD;
    return s;
  };
  let segmented = [...new Set(words)].map(symbolsOf);
  const merges: string[] = [];
  for (;;) {
    const counts = new Map<string, number>();
    for (const word of segmented) {
      for (let i = 0; i < word.length - 1; i++) {
        const key = pairKey(word[i] as string, word[i + 1] as string);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    if (counts.size === 0) break;
    let best = '';
    let bestCount = 0;
    for (const [key, count] of counts) {
      if (count > bestCount || (count === bestCount && key < best)) {
        best = key;
        bestCount = count;
      }
    }
    merges.push(best);
    const [first, second] = best.split(' ') as [string, string];
    segmented = segmented.map((word) => mergePair(word, first, second));
  }
  const base = bytesToUnicode().map(([, symbol]) => symbol);
  const tokens = [...base, ...base.map((s) => s + END_OF_WORD), ...merges.map((m) => m.replace(' ', '')), START_OF_TEXT, END_OF_TEXT];
  const vocab: Record<string, number> = {};
  tokens.forEach((t, i) => {
    if (t in vocab) throw new InvalidArgumentError({ message: `BPE produced the token ${JSON.stringify(t)} twice.`, actual: t });
    vocab[t] = i;
  });
  return { vocab, merges };
}

/** Replaces every left-to-right occurrence of the pair (`first`, `second`) by its concatenation. */
function mergePair(word: readonly string[], first: string, second: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) {
    if (word[i] === first && word[i + 1] === second) {
      out.push(first + second);
      i += 1;
    } else out.push(word[i] as string);
  }
  return out;
}
