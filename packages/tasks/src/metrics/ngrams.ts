/**
 * The n-gram counts of a sentence, n = 1..`maxN`, as coco-caption's `precook` computes them:
 * entry `n - 1` maps each n-gram (its words joined by single spaces, unambiguous since words hold
 * no whitespace) to its count, in order of first occurrence. A sentence shorter than n has no n-grams.
 */
export function countNgrams(words: readonly string[], maxN: number): Map<string, number>[] {
  const counts: Map<string, number>[] = [];
  for (let n = 1; n <= maxN; n++) {
    const byGram = new Map<string, number>();
    for (let i = 0; i + n <= words.length; i++) {
      const gram = words.slice(i, i + n).join(' ');
      byGram.set(gram, (byGram.get(gram) ?? 0) + 1);
    }
    counts.push(byGram);
  }
  return counts;
}
