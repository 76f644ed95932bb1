import { codePoints } from './unicode.js';

/** CLIP's end-of-word marker, appended to the last symbol of every word. */
export const END_OF_WORD = '</w>';

/** transformers keeps at most this many merges (`[1 : 49152 - 256 - 2 + 1]` of the file's lines). */
const MAX_MERGE_LINE = 49152 - 256 - 2 + 1;

/**
 * Parses `merges.txt` exactly as transformers' `CLIPTokenizer`: strip the file, split lines, skip the first
 * (`#version: ...`) line, split each line on whitespace. Returns the rank of every `"first second"` pair.
 */
export function parseMerges(text: string): Map<string, number> {
  const lines = text.trim().split('\n').slice(1, MAX_MERGE_LINE);
  const ranks = new Map<string, number>();
  lines.forEach((line, rank) => {
    const parts = line.trim().split(/\s+/);
    // Python's dict(zip(...)) keeps the last rank of a duplicated pair.
    if (parts.length >= 2) ranks.set(`${parts[0]} ${parts[1]}`, rank);
  });
  return ranks;
}

/**
 * CLIP's byte-level BPE over one pre-token (already mapped through `bytes_to_unicode`): repeatedly merge the
 * adjacent pair of lowest rank; the last symbol carries `</w>`. Results are cached per token, as in transformers.
 */
export class ClipBpe {
  private readonly cache = new Map<string, string[]>();

  constructor(
    private readonly ranks: ReadonlyMap<string, number>,
    passThrough: readonly string[] = [],
  ) {
    for (const token of passThrough) this.cache.set(token, [token]);
  }

  /** Symbols of `token` after all merges. */
  apply(token: string): string[] {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const chars = codePoints(token);
    let word = [...chars.slice(0, -1), chars[chars.length - 1] + END_OF_WORD];
    while (word.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < word.length - 1; i++) {
        const rank = this.ranks.get(`${word[i]} ${word[i + 1]}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      word = mergePair(word, word[best], word[best + 1]);
    }
    this.cache.set(token, word);
    return word;
  }
}

/** Replaces every non-overlapping left-to-right occurrence of the pair (`first`, `second`) by its concatenation. */
function mergePair(word: readonly string[], first: string, second: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < word.length) {
    if (word[i] === first && i < word.length - 1 && word[i + 1] === second) {
      out.push(first + second);
      i += 2;
    } else {
      out.push(word[i]);
      i += 1;
    }
  }
  return out;
}
