import { InvalidArgumentError } from '@vlp/core';
import { type CaptionSample, type CaptionTokenization, type TokenizedSample, tokenizeSamples } from './caption-samples.js';
import { countNgrams } from './ngrams.js';

/** Options of {@link corpusBleu}. */
export interface BleuOptions {
  /** Highest n-gram order (coco-caption's `Bleu(4)`). Default 4. */
  readonly n?: number;
  /** Tokenization before scoring. Default `'ptb'`, as `COCOEvalCap`. */
  readonly tokenize?: CaptionTokenization;
}

/** Corpus BLEU as coco-caption's `Bleu.compute_score` returns it. */
export interface BleuResult {
  /** BLEU-n for the highest order n (BLEU-4 by default), in [0, 1]. */
  readonly score: number;
  /** BLEU-1 … BLEU-n, each with its brevity penalty. */
  readonly scores: readonly number[];
  /** Total candidate length in words. */
  readonly candidateLength: number;
  /** Total effective reference length (per image, the reference length closest to the candidate's). */
  readonly referenceLength: number;
  /** `candidateLength / referenceLength` as the reference computes it (with its tiny/small guards). */
  readonly ratio: number;
}

/** coco-caption's guards: `tiny` keeps a zero match count from zeroing the log, `small` keeps a zero denominator finite. */
const TINY = 1e-15;
const SMALL = 1e-9;

/**
 * Corpus-level BLEU exactly as coco-caption's `Bleu(4)` (tylin/coco-caption
 * `pycocoevalcap/bleu/bleu_scorer.py`, `compute_score(option='closest')`), after its PTB
 * tokenization step unless `tokenize: 'none'`:
 *
 * - per image, modified n-gram precision counts: each candidate n-gram count is clipped by its
 *   maximum count in any one reference; `guess_k = max(0, len − k + 1)`;
 * - the effective reference length of an image is the reference length closest to the candidate
 *   length, the *shorter* one on a tie (Python's `min` over `(|ref − cand|, ref)` pairs);
 * - counts and lengths are summed over the corpus; BLEU-n =
 *   `(Π_{k≤n} (correct_k + 1e-15) / (guess_k + 1e-9))^(1/n)`, times
 *   `exp(1 − 1/ratio)` when `ratio = (cand + 1e-15) / (ref + 1e-9) < 1`.
 *
 * Because of the `1e-15` guard a corpus without any matching 4-gram scores a tiny positive number
 * (≈ 1e-4 … 1e-5), not exactly 0, as in the reference. The per-image `bleu_list` the reference
 * also returns is not reproduced.
 *
 * @throws InvalidArgumentError when `samples` is empty, a sample has no reference, or `n` is not a positive integer.
 */
export function corpusBleu(samples: readonly CaptionSample[], options: BleuOptions = {}): BleuResult {
  const n = options.n ?? 4;
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError({ message: `corpusBleu: n must be a positive integer (4 for BLEU-4), got ${n}.`, actual: n });
  }
  const tokenized = tokenizeSamples(samples, options.tokenize ?? 'ptb', 'corpusBleu');
  const correct = new Array<number>(n).fill(0);
  const guess = new Array<number>(n).fill(0);
  let candidateLength = 0;
  let referenceLength = 0;
  for (const sample of tokenized) {
    const stats = sentenceStats(sample, n);
    candidateLength += sample.candidate.length;
    referenceLength += stats.referenceLength;
    for (let k = 0; k < n; k++) {
      correct[k] += stats.correct[k];
      guess[k] += stats.guess[k];
    }
  }
  const ratio = (candidateLength + TINY) / (referenceLength + SMALL);
  const scores: number[] = [];
  for (let order = 1; order <= n; order++) {
    let product = 1;
    for (let k = 0; k < order; k++) product *= (correct[k] + TINY) / (guess[k] + SMALL);
    let bleu = product ** (1 / order);
    if (ratio < 1) bleu *= Math.exp(1 - 1 / ratio);
    scores.push(bleu);
  }
  return { score: scores[n - 1], scores, candidateLength, referenceLength, ratio };
}

interface SentenceStats {
  readonly correct: number[];
  readonly guess: number[];
  readonly referenceLength: number;
}

/** coco-caption's `cook_refs` + `cook_test` for one image: clipped matches, guesses, closest reference length. */
function sentenceStats(sample: TokenizedSample, n: number): SentenceStats {
  const maxRefCounts = new Map<string, number>();
  for (const ref of sample.references) {
    for (const byGram of countNgrams(ref, n)) {
      for (const [gram, count] of byGram) maxRefCounts.set(gram, Math.max(maxRefCounts.get(gram) ?? 0, count));
    }
  }
  const testLength = sample.candidate.length;
  const correct = countNgrams(sample.candidate, n).map((byGram) => {
    let matched = 0;
    for (const [gram, count] of byGram) matched += Math.min(maxRefCounts.get(gram) ?? 0, count);
    return matched;
  });
  const guess = Array.from({ length: n }, (_, k) => Math.max(0, testLength - k));
  return { correct, guess, referenceLength: closestLength(sample.references.map((r) => r.length), testLength) };
}

/** The reference length closest to `testLength`, the shorter on a tie (`min((abs(l - t), l) for l in refs)[1]`). */
function closestLength(lengths: readonly number[], testLength: number): number {
  let best = lengths[0];
  for (const l of lengths) {
    const d = Math.abs(l - testLength);
    const bestD = Math.abs(best - testLength);
    if (d < bestD || (d === bestD && l < best)) best = l;
  }
  return best;
}
