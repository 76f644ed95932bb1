import { type SeedLike, InvalidArgumentError, createRng } from '@vlp/core';
import { sceneCaptions } from './captions.js';
import { MAX_SPLIT_INDEX, checkSplitIndex, layoutScene } from './layout.js';
import { sceneQuestions } from './questions.js';
import { checkImageSize, renderScene } from './render.js';
import { SHAPES_VL_SPLITS, type SceneObject, type ShapesVLAnnotations, type ShapesVLSample, type ShapesVLSplit } from './types.js';
import { shapesVLClassIndex } from './vocabulary.js';

/** Added to a sample's index to make its `imageId` unique across splits. */
export const IMAGE_ID_BASE: Readonly<Record<ShapesVLSplit, number>> = { train: 0, val: 100_000_000, test: 200_000_000 };

/** Split sizes of {@link generateShapesVL} when not given. */
export const DEFAULT_SPLIT_COUNTS: Readonly<Record<ShapesVLSplit, number>> = { train: 10_000, val: 1_000, test: 1_000 };

/**
 * The annotations of sample `index` of `split` (objects, captions, questions, label) without
 * rendering its image: cheap, for statistics over large splits. See {@link shapesVLSample}.
 */
export function shapesVLAnnotations(seed: SeedLike, split: ShapesVLSplit, index: number): ShapesVLAnnotations {
  checkSplitIndex(split, index);
  const root = createRng(seed);
  const rng = root.split(`shapes-vl:scene:${split}:${index}`);
  const objects: SceneObject[] = layoutScene(root, split, index, rng.split('jitter'));
  const main = objects[0];
  return {
    id: `${split}-${String(index).padStart(6, '0')}`,
    imageId: IMAGE_ID_BASE[split] + index,
    split,
    index,
    objects,
    captions: sceneCaptions(objects, rng.split('captions')),
    questions: sceneQuestions(objects, rng.split('questions')),
    label: {
      colour: main.colour,
      shape: main.shape,
      className: `${main.colour} ${main.shape}`,
      classIndex: shapesVLClassIndex(main.colour, main.shape),
    },
  };
}

/**
 * Sample `index` of `split` of the Shapes-VL dataset with seed `seed`, rendered at `size × size`.
 * Generated on demand (O(1) in the index: no earlier sample is generated), so a split of any size
 * can be streamed. The same arguments give byte-identical samples on every machine. Throws
 * `InvalidArgumentError` for an unknown split, an index outside [0, 99 999 999] or a size outside
 * [16, 2048].
 *
 * @example
 * const s = shapesVLSample(0, 'test', 17, 224);
 * s.captions[0];   // e.g. "a large cyan star in the center and a small red ring at the top"
 * s.image.data;    // 224 · 224 · 3 bytes of RGB
 */
export function shapesVLSample(seed: SeedLike, split: ShapesVLSplit, index: number, size = 64): ShapesVLSample {
  checkImageSize(size);
  const annotations = shapesVLAnnotations(seed, split, index);
  return { ...annotations, image: renderScene(annotations, size) };
}

/** Options of {@link iterateShapesVL}. */
export interface IterateShapesVLOptions {
  /** Dataset seed (default 0). */
  readonly seed?: SeedLike;
  readonly split: ShapesVLSplit;
  /** Number of samples. */
  readonly count: number;
  /** First index (default 0). */
  readonly start?: number;
  /** Image side in pixels (default 64). */
  readonly size?: number;
}

/** Streams samples `start … start + count − 1` of a split, rendering one at a time. */
export function* iterateShapesVL(options: IterateShapesVLOptions): Generator<ShapesVLSample> {
  const { seed = 0, split, count, start = 0, size = 64 } = options;
  checkImageSize(size);
  checkCount(split, count);
  checkSplitIndex(split, start);
  if (start + count - 1 > MAX_SPLIT_INDEX) checkSplitIndex(split, start + count - 1);
  for (let i = 0; i < count; i++) yield shapesVLSample(seed, split, start + i, size);
}

/** Options of {@link generateShapesVL}. */
export interface GenerateShapesVLOptions {
  /** Dataset seed (default 0): a safe integer, bigint or string. */
  readonly seed?: SeedLike;
  /** Image side in pixels (default 64; 224 or 384 for real-size CLIP/BLIP). */
  readonly size?: number;
  /** Samples per split; each defaults to {@link DEFAULT_SPLIT_COUNTS} (10 000 / 1 000 / 1 000). */
  readonly counts?: Partial<Record<ShapesVLSplit, number>>;
}

/** A generated Shapes-VL dataset held in memory. */
export interface ShapesVLDataset {
  readonly seed: SeedLike;
  readonly size: number;
  readonly splits: Readonly<Record<ShapesVLSplit, readonly ShapesVLSample[]>>;
}

function checkCount(split: string, count: unknown): void {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_SPLIT_INDEX + 1) {
    throw new InvalidArgumentError({
      message: `The ${split} count must be an integer from 0 to ${MAX_SPLIT_INDEX + 1} (got ${String(count)}).`,
      expected: `integer in [0, ${MAX_SPLIT_INDEX + 1}]`,
      actual: count,
    });
  }
}

/**
 * Generates the Shapes-VL splits in memory: sample `i` of split `s` is
 * `shapesVLSample(seed, s, i, size)`. The splits are fixed by the seed, never share a scene (see
 * `layout.ts`), and a split's first n samples do not depend on the other splits' sizes, so growing
 * one split changes nothing else. For large splits, stream with {@link iterateShapesVL}.
 *
 * @example
 * const { splits } = generateShapesVL({ seed: 0, counts: { train: 2000, val: 200, test: 200 } });
 * splits.test[0].label.className;   // e.g. "blue star"
 */
export function generateShapesVL(options: GenerateShapesVLOptions = {}): ShapesVLDataset {
  const { seed = 0, size = 64 } = options;
  checkImageSize(size);
  createRng(seed); // validates the seed before any work
  const counts = Object.fromEntries(SHAPES_VL_SPLITS.map((s) => [s, options.counts?.[s] ?? DEFAULT_SPLIT_COUNTS[s]])) as Record<ShapesVLSplit, number>;
  for (const split of SHAPES_VL_SPLITS) checkCount(split, counts[split]);
  const splits = Object.fromEntries(
    SHAPES_VL_SPLITS.map((split) => [split, Array.from({ length: counts[split] }, (_, i) => shapesVLSample(seed, split, i, size))]),
  ) as Record<ShapesVLSplit, ShapesVLSample[]>;
  return { seed, size, splits };
}
