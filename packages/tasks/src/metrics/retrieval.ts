import { InvalidArgumentError } from '@vlp/core';
import { bestRanked, descendingRank } from './rank.js';
import { type MatrixView, type ScoreMatrix, viewScoreMatrix } from './score-matrix.js';

/** Recall at 1, 5 and 10 (percent) and rank statistics of one retrieval direction. */
export interface RecallAtK {
  /** Percent of queries whose ground truth is ranked first. */
  readonly r1: number;
  /** Percent of queries whose ground truth is among the top 5. */
  readonly r5: number;
  /** Percent of queries whose ground truth is among the top 10. */
  readonly r10: number;
  /** `(r1 + r5 + r10) / 3` (BLIP's `txt_r_mean` / `img_r_mean`). */
  readonly rMean: number;
  /** 1-based median rank: `floor(median(ranks)) + 1` over the 0-based ranks (VSE++ convention). */
  readonly medianRank: number;
  /** 1-based mean rank: `mean(ranks) + 1`. */
  readonly meanRank: number;
}

/** Both directions of image–text retrieval, as BLIP / ALBEF `itm_eval` reports them. */
export interface RetrievalResult {
  /** Image → text: each image queries all texts; its rank is that of its best-ranked caption. */
  readonly i2t: RecallAtK;
  /** Text → image: each text queries all images; its rank is that of its image. */
  readonly t2i: RecallAtK;
  /** `(i2t.rMean + t2i.rMean) / 2` (BLIP's `r_mean`). */
  readonly rMean: number;
}

/** Options of {@link retrievalRecall}. */
export interface RetrievalOptions {
  /**
   * Separate `[texts, images]` scores for text → image (BLIP's ITM-reranked `score_matrix_t2i`).
   * Default: the transpose of the image → text scores.
   */
  readonly textToImageScores?: ScoreMatrix;
}

/**
 * Image ↔ text retrieval recall R@1/5/10 with several captions per image, computed as
 * `itm_eval` in salesforce/BLIP `train_retrieval.py` (same as ALBEF): image → text takes, for each
 * image, the rank of the best-ranked of its captions; text → image the rank of the text's image;
 * R@K is the percentage of queries with rank < K.
 *
 * **Ties.** The reference ranks with `np.argsort(scores)[::-1]`, whose default sort kind is not
 * stable: the order of equal scores depends on the numpy version and CPU (older numpy sorts rows of
 * ≤ 16 entries stably; numpy 2.4 with AVX-512 reorders ties even in 6-entry rows). Here equal
 * scores always rank as `np.argsort(scores, kind='stable')[::-1]` ranks them, the *higher* index
 * first, so results are deterministic and equal the reference whenever its sort was stable.
 *
 * @param scores Similarities `[images, texts]` (higher = more similar).
 * @param textToImage The image index of each text (`txt2img`); every image needs at least one text.
 * @param options Optional separate text → image scores.
 * @throws InvalidArgumentError on a ragged or NaN-containing matrix, a `textToImage` of the wrong
 *   length or with an index out of range, an image without captions, or mismatched shapes.
 */
export function retrievalRecall(scores: ScoreMatrix, textToImage: readonly number[], options: RetrievalOptions = {}): RetrievalResult {
  const i2tScores = viewScoreMatrix(scores, 'scores');
  const t2iScores = options.textToImageScores === undefined ? transposed(i2tScores) : viewScoreMatrix(options.textToImageScores, 'textToImageScores');
  const images = i2tScores.rows;
  const texts = i2tScores.cols;
  if (t2iScores.rows !== texts || t2iScores.cols !== images) {
    throw new InvalidArgumentError({
      message: `textToImageScores has shape [${t2iScores.rows}, ${t2iScores.cols}] but must be [texts, images] = [${texts}, ${images}].`,
      expected: [texts, images],
      actual: [t2iScores.rows, t2iScores.cols],
    });
  }
  const captionsOf = captionsPerImage(textToImage, images, texts);

  const i2tRanks = captionsOf.map((captions, image) => {
    const score = (t: number) => i2tScores.at(image, t);
    return descendingRank(texts, score, bestRanked(captions, score, 'higher-index-first'), 'higher-index-first');
  });
  const t2iRanks = textToImage.map((image, text) => descendingRank(images, (i) => t2iScores.at(text, i), image, 'higher-index-first'));

  const i2t = summarizeRanks(i2tRanks);
  const t2i = summarizeRanks(t2iRanks);
  return { i2t, t2i, rMean: (i2t.rMean + t2i.rMean) / 2 };
}

function transposed(m: MatrixView): MatrixView {
  return { rows: m.cols, cols: m.rows, at: (r, c) => m.at(c, r) };
}

function captionsPerImage(textToImage: readonly number[], images: number, texts: number): number[][] {
  if (textToImage.length !== texts) {
    throw new InvalidArgumentError({
      message: `textToImage has ${textToImage.length} entries but scores has ${texts} texts (columns); give the image index of every text.`,
      expected: texts,
      actual: textToImage.length,
    });
  }
  const captions: number[][] = Array.from({ length: images }, () => []);
  textToImage.forEach((image, text) => {
    if (!Number.isInteger(image) || image < 0 || image >= images) {
      throw new InvalidArgumentError({ message: `textToImage[${text}] = ${image} is not an image index in [0, ${images}).`, actual: image });
    }
    captions[image].push(text);
  });
  const orphan = captions.findIndex((c) => c.length === 0);
  if (orphan >= 0) {
    throw new InvalidArgumentError({ message: `image ${orphan} has no caption in textToImage; every image needs at least one text to be retrieved.`, actual: orphan });
  }
  return captions;
}

/** R@1/5/10 (percent), their mean and the median / mean rank of 0-based `ranks`. */
export function summarizeRanks(ranks: readonly number[]): RecallAtK {
  const n = ranks.length;
  const recall = (k: number) => (100 * ranks.filter((r) => r < k).length) / n;
  const r1 = recall(1);
  const r5 = recall(5);
  const r10 = recall(10);
  const sorted = [...ranks].sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const meanRank = ranks.reduce((a, b) => a + b, 0) / n + 1;
  return { r1, r5, r10, rMean: (r1 + r5 + r10) / 3, medianRank: Math.floor(median) + 1, meanRank };
}
