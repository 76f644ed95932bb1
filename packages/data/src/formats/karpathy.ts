/**
 * The "Karpathy split" caption JSON of COCO and Flickr30k (`dataset_coco.json`,
 * `dataset_flickr30k.json`, from Karpathy & Fei-Fei's NeuralTalk): one file for all splits,
 *
 * ```
 * { "dataset": "coco",
 *   "images": [ { "filepath": "val2014",                      // COCO only: sub-folder of the image root
 *                 "filename": "COCO_val2014_000000391895.jpg",
 *                 "imgid": 0, "split": "test",                // train | val | test | restval (COCO)
 *                 "cocoid": 391895,                           // COCO only
 *                 "sentids": [0, 1, 2, 3, 4],
 *                 "sentences": [ { "raw": "A man riding a bike.", "tokens": ["a", "man", …],
 *                                  "imgid": 0, "sentid": 0 }, … ] }, … ] }
 * ```
 */
import { join } from 'node:path';
import { atomicWriteFile } from '@vlp/core';
import type { ShapesVLSample } from '../shapes-vl/types.js';
import { JsonFields, checkDirectory, checkImagesExist, readJsonFile } from './json-file.js';
import { PngWriter, ensureDirectory } from './write-images.js';

/** Karpathy's tokenisation: lower case, punctuation dropped, split on white space. */
export function karpathyTokens(caption: string): string[] {
  return caption
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

/** Options of {@link exportKarpathyJson}. */
export interface KarpathyExportOptions {
  /** The `dataset` field (default `"shapes-vl"`). */
  readonly dataset?: string;
  /** Name of the JSON file in `dir` (default `"dataset_shapes_vl.json"`). */
  readonly fileName?: string;
}

/** What {@link exportKarpathyJson} wrote. */
export interface KarpathyExport {
  /** The JSON file. */
  readonly annotationPath: string;
  /** The directory to pass to {@link loadKarpathyJson} as `imageRoot` (`<dir>/images`). */
  readonly imageRoot: string;
  readonly images: number;
  readonly sentences: number;
}

/**
 * Writes samples in the Karpathy split format: PNGs at `<dir>/images/<split>/<id>.png` (`filepath`
 * = split, `filename` = `<id>.png`) and `<dir>/dataset_shapes_vl.json` listing every sample in the
 * order given, with `imgid` = position, `cocoid` = `sample.imageId`, and sentence ids numbered
 * from 0 across the file. Every file is written atomically; `samples` may be a lazy iterable
 * (e.g. {@link iterateShapesVL}), of which only the annotations are kept in memory.
 *
 * @example
 * const { annotationPath, imageRoot } = await exportKarpathyJson('/data/shapes-vl', generateShapesVL().splits.test);
 * const { images } = await loadKarpathyJson(annotationPath, imageRoot, { split: 'test' });
 */
export async function exportKarpathyJson(dir: string, samples: Iterable<ShapesVLSample>, options: KarpathyExportOptions = {}): Promise<KarpathyExport> {
  const imageRoot = join(dir, 'images');
  await ensureDirectory(dir);
  const writer = new PngWriter();
  const images: unknown[] = [];
  let sentid = 0;
  for (const sample of samples) {
    const imgid = images.length;
    const filename = `${sample.id}.png`;
    await writer.add(join(imageRoot, sample.split, filename), sample.image);
    const sentences = sample.captions.map((raw) => ({ tokens: karpathyTokens(raw), raw, imgid, sentid: sentid++ }));
    images.push({
      filepath: sample.split,
      sentids: sentences.map((s) => s.sentid),
      filename,
      imgid,
      split: sample.split,
      sentences,
      cocoid: sample.imageId,
    });
  }
  await writer.done();
  const annotationPath = join(dir, options.fileName ?? 'dataset_shapes_vl.json');
  await atomicWriteFile(annotationPath, `${JSON.stringify({ images, dataset: options.dataset ?? 'shapes-vl' })}\n`);
  return { annotationPath, imageRoot, images: images.length, sentences: sentid };
}

/** One captioned image of a Karpathy split file. */
export interface CaptionedImageRecord {
  /** `cocoid` when present (COCO), else `imgid` (Flickr30k). */
  readonly id: number;
  /** Position-based id of the file (`imgid`). */
  readonly imgid: number;
  /** As in the file: "train", "val", "test" or (COCO) "restval". */
  readonly split: string;
  /** `<imageRoot>/<filepath>/<filename>` (`filepath` only when present). */
  readonly imagePath: string;
  /** The raw sentences, in file order. */
  readonly captions: readonly string[];
  /** The `sentid` of each caption (numbered in order when the file has none). */
  readonly sentenceIds: readonly number[];
}

/** A loaded Karpathy split file. */
export interface KarpathyDataset {
  /** The `dataset` field ("coco", "flickr30k", "shapes-vl", …; "" when absent). */
  readonly dataset: string;
  readonly images: readonly CaptionedImageRecord[];
}

/** Options of {@link loadKarpathyJson}. */
export interface LoadKarpathyOptions {
  /**
   * Keep only these splits (default: all). Karpathy's COCO training set is `['train', 'restval']`;
   * the 5k test set is `'test'`.
   */
  readonly split?: string | readonly string[];
  /** Check that every image file exists (one `stat` per image; default false). */
  readonly checkImages?: boolean;
}

/**
 * Loads a Karpathy split caption file (COCO, Flickr30k or an export of
 * {@link exportKarpathyJson}); image paths are resolved against `imageRoot` (for COCO the folder
 * holding `train2014/` and `val2014/`; for Flickr30k the image folder itself). Throws `IoError`
 * when the file or `imageRoot` cannot be read (or, with `checkImages`, an image is missing) and
 * `InvalidArgumentError` naming the file and the JSON path of the first malformed value.
 */
export async function loadKarpathyJson(path: string, imageRoot: string, options: LoadKarpathyOptions = {}): Promise<KarpathyDataset> {
  const json = await readJsonFile(path, 'Karpathy split caption file');
  await checkDirectory(imageRoot, 'image root directory');
  const f = new JsonFields(path, 'Karpathy split caption file', 'Expected the format of dataset_coco.json / dataset_flickr30k.json.');
  const root = f.object(json, 'the top level');
  const dataset = f.optionalString(root.dataset, 'dataset') ?? '';
  const keep = options.split === undefined ? undefined : new Set(typeof options.split === 'string' ? [options.split] : options.split);
  const images: CaptionedImageRecord[] = [];
  f.array(root.images, 'images').forEach((value, i) => {
    const at = `images[${i}]`;
    const image = f.object(value, at);
    const split = f.string(image.split, `${at}.split`);
    const filename = f.string(image.filename, `${at}.filename`);
    const filepath = f.optionalString(image.filepath, `${at}.filepath`);
    const imgid = f.integer(image.imgid, `${at}.imgid`);
    const cocoid = f.optionalInteger(image.cocoid, `${at}.cocoid`);
    const sentences = f.array(image.sentences, `${at}.sentences`).map((s, j) => f.object(s, `${at}.sentences[${j}]`));
    const captions = sentences.map((s, j) => f.string(s.raw, `${at}.sentences[${j}].raw`));
    const sentenceIds = sentences.map((s, j) => f.optionalInteger(s.sentid, `${at}.sentences[${j}].sentid`) ?? j);
    if (keep && !keep.has(split)) return;
    const imagePath = filepath === undefined ? join(imageRoot, filename) : join(imageRoot, filepath, filename);
    images.push({ id: cocoid ?? imgid, imgid, split, imagePath, captions, sentenceIds });
  });
  if (options.checkImages) {
    await checkImagesExist(
      images.map((im) => ({ imagePath: im.imagePath, at: `the image with imgid ${im.imgid}` })),
      path,
    );
  }
  return { dataset, images };
}
