import { InvalidArgumentError } from '@vlp/core';
import { type CaptionSample, type CaptionTokenization, tokenizeSamples } from './caption-samples.js';
import { countNgrams } from './ngrams.js';

/** Options of {@link ciderD}. */
export interface CiderDOptions {
  /** Highest n-gram order. Default 4. */
  readonly n?: number;
  /** Standard deviation of the length penalty, in words. Default 6. */
  readonly sigma?: number;
  /** Tokenization before scoring. Default `'ptb'`, as `COCOEvalCap`. */
  readonly tokenize?: CaptionTokenization;
}

/** CIDEr-D of a corpus. */
export interface CiderDResult {
  /** Mean of the per-image scores (what coco-caption reports as "CIDEr"; ×100 in most papers). */
  readonly score: number;
  /** Per-image scores, in sample order. */
  readonly scores: readonly number[];
}

/** A tf-idf vector per n-gram order, its norms, and the caption's length as the reference measures it. */
interface TfIdf {
  readonly vectors: Map<string, number>[];
  readonly norms: number[];
  readonly length: number;
}

/**
 * CIDEr-D exactly as coco-caption's scorer (tylin/coco-caption `pycocoevalcap/cider/cider_scorer.py`,
 * the CIDEr-D of vrama91/cider `ciderD_scorer.py` with `df='corpus'`), after its PTB tokenization
 * step unless `tokenize: 'none'`:
 *
 * - document frequency `df(g)` = number of images whose references (as a set) contain n-gram `g`;
 *   `idf(g) = log(#images) − log(max(1, df(g)))`, so n-grams absent from all references count as df 1;
 * - a caption's vector for order n holds `tf(g) · idf(g)` with raw counts as tf;
 * - against each reference, per order n: `Σ_g min(v_cand(g), v_ref(g)) · v_ref(g)` (candidate weights
 *   clipped by the reference's), divided by both norms when neither is 0, times the Gaussian length
 *   penalty `exp(−δ² / (2σ²))`; δ is the length difference *measured in bigrams* (the reference
 *   counts a caption's length while iterating its bigrams, so a caption of w ≥ 1 words has length
 *   w − 1 and an empty one 0);
 * - per image: sum over references, mean over n, divided by the number of references, × 10;
 *   the corpus score is the mean over images.
 *
 * Scores match the reference up to floating-point rounding (it sums with numpy).
 *
 * @throws InvalidArgumentError when `samples` is empty, a sample has no reference, or `n` / `sigma` are out of range.
 */
export function ciderD(samples: readonly CaptionSample[], options: CiderDOptions = {}): CiderDResult {
  const n = options.n ?? 4;
  const sigma = options.sigma ?? 6;
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError({ message: `ciderD: n must be a positive integer (4 for CIDEr-D), got ${n}.`, actual: n });
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new InvalidArgumentError({ message: `ciderD: sigma must be a positive finite number (6 for CIDEr-D), got ${sigma}.`, actual: sigma });
  const tokenized = tokenizeSamples(samples, options.tokenize ?? 'ptb', 'ciderD');
  const candidates = tokenized.map((s) => countNgrams(s.candidate, n));
  const references = tokenized.map((s) => s.references.map((r) => countNgrams(r, n)));

  const documentFrequency = new Map<string, number>();
  for (const refs of references) {
    const seen = new Set<string>();
    for (const ref of refs) for (const byGram of ref) for (const gram of byGram.keys()) seen.add(gram);
    for (const gram of seen) documentFrequency.set(gram, (documentFrequency.get(gram) ?? 0) + 1);
  }
  const logImages = Math.log(references.length);
  const tfIdf = (counts: Map<string, number>[]): TfIdf => toTfIdf(counts, documentFrequency, logImages);

  const scores = candidates.map((candidateCounts, i) => {
    const candidate = tfIdf(candidateCounts);
    const perOrder = new Array<number>(n).fill(0);
    for (const refCounts of references[i]) {
      const similarity = clippedSimilarity(candidate, tfIdf(refCounts), sigma);
      for (let k = 0; k < n; k++) perOrder[k] += similarity[k];
    }
    const mean = perOrder.reduce((a, b) => a + b, 0) / n;
    return (mean / references[i].length) * 10;
  });
  return { score: scores.reduce((a, b) => a + b, 0) / scores.length, scores };
}

/** coco-caption's `counts2vec`. */
function toTfIdf(counts: Map<string, number>[], documentFrequency: Map<string, number>, logImages: number): TfIdf {
  let length = 0;
  const vectors = counts.map((byGram, k) => {
    const vector = new Map<string, number>();
    for (const [gram, tf] of byGram) {
      vector.set(gram, tf * (logImages - Math.log(Math.max(1, documentFrequency.get(gram) ?? 0))));
      if (k === 1) length += tf;
    }
    return vector;
  });
  const norms = vectors.map((vector) => {
    let sumSquares = 0;
    for (const w of vector.values()) sumSquares += w ** 2;
    return Math.sqrt(sumSquares);
  });
  return { vectors, norms, length };
}

/** coco-caption's `sim`: clipped cosine per n-gram order times the Gaussian length penalty. */
function clippedSimilarity(candidate: TfIdf, reference: TfIdf, sigma: number): number[] {
  const delta = candidate.length - reference.length;
  const penalty = Math.exp(-(delta ** 2) / (2 * sigma ** 2));
  return candidate.vectors.map((vector, k) => {
    let value = 0;
    for (const [gram, w] of vector) {
      const r = reference.vectors[k].get(gram) ?? 0;
      value += Math.min(w, r) * r;
    }
    if (candidate.norms[k] !== 0 && reference.norms[k] !== 0) value /= candidate.norms[k] * reference.norms[k];
    return value * penalty;
  });
}
