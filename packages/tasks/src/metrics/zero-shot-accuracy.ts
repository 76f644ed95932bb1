import { InvalidArgumentError } from '@vlp/core';
import { descendingRank } from './rank.js';
import { type ScoreMatrix, viewScoreMatrix } from './score-matrix.js';

/** Top-1 and top-5 accuracy (percent) of a zero-shot classifier. */
export interface ZeroShotAccuracy {
  /** Percent of samples whose label has the highest logit. */
  readonly top1: number;
  /** Percent of samples whose label is among the 5 highest logits (all of them when there are ≤ 5 classes). */
  readonly top5: number;
  /** Number of samples. */
  readonly count: number;
}

/**
 * Percent of samples whose label is among the `k` highest logits, as the `accuracy` helper of
 * mlfoundations/open_clip `zero_shot.py` (after `logits.topk(k)`) and the CLIP paper compute it.
 * Equal logits rank the lower class index first (what `argmax` returns: its first maximum;
 * `torch.topk` leaves the order of ties unspecified). With `k` ≥ the number of classes every
 * sample counts as correct (open_clip's `topk` would raise instead).
 *
 * @param logits Scores `[samples, classes]` (image–class-prompt similarities or logits).
 * @param labels The class index of each sample.
 * @param k How many top classes count as a hit (a positive integer).
 * @throws InvalidArgumentError on a ragged or NaN-containing matrix, a bad `k`, or labels of the
 *   wrong length or out of `[0, classes)`.
 */
export function topKAccuracy(logits: ScoreMatrix, labels: readonly number[], k: number): number {
  const view = viewScoreMatrix(logits, 'logits');
  if (!Number.isInteger(k) || k < 1) {
    throw new InvalidArgumentError({ message: `k must be a positive integer, got ${k}.`, actual: k });
  }
  checkLabels(labels, view.rows, view.cols);
  let hits = 0;
  labels.forEach((label, sample) => {
    if (descendingRank(view.cols, (c) => view.at(sample, c), label, 'lower-index-first') < k) hits++;
  });
  return (100 * hits) / labels.length;
}

/**
 * Zero-shot classification accuracy, top-1 and top-5 (percent), from logits `[samples, classes]`
 * and labels; see {@link topKAccuracy} for the exact rule and how ties are broken.
 */
export function zeroShotAccuracy(logits: ScoreMatrix, labels: readonly number[]): ZeroShotAccuracy {
  return { top1: topKAccuracy(logits, labels, 1), top5: topKAccuracy(logits, labels, 5), count: labels.length };
}

function checkLabels(labels: readonly number[], samples: number, classes: number): void {
  if (labels.length !== samples) {
    throw new InvalidArgumentError({
      message: `labels has ${labels.length} entries but logits has ${samples} samples (rows); give one label per sample.`,
      expected: samples,
      actual: labels.length,
    });
  }
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new InvalidArgumentError({ message: `labels[${i}] = ${label} is not a class index in [0, ${classes}).`, actual: label });
    }
  });
}
