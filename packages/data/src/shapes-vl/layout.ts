/**
 * Which scene sits at (seed, split, index): the split design of Shapes-VL.
 *
 * A scene's *signature* is what its captions can describe: each object's size, colour, shape and grid
 * cell (not the small jitter inside the cell). For each object count k the signatures form a finite
 * space of N_k elements, enumerated by {@link unrankSignature}:
 *
 * - k = 1: 9 cells × 64 colour–shape types × 2 sizes = 1 152;
 * - k = 2: main object (large; 9 cells × 64 types) × one small object (8 cells × 64) = 294 912;
 * - k = 3: main object (large) × two small objects in two of the 8 other cells (28 cell pairs × 64²)
 *   = 66 060 288.
 *
 * A seeded keyed permutation π_k shuffles each space, and the positions of the shuffled order are
 * dealt to the splits by residue: positions ≡ 0 (mod M_k) are test, ≡ 1 val, the rest train
 * (M_1 = 4, M_2 = M_3 = 10). The c-th k-object scene of a split is the c-th position of its residue
 * class. Hence, without any global state or knowledge of the split sizes:
 * - the splits never share a signature (no scene, nor any caption-level duplicate of it, leaks from
 *   train into test);
 * - test and val never repeat a signature until their share of a space is used up (1-object scenes:
 *   288 per split; multi-object: ≥ 29 491), after which they wrap around. Train (576 single-object
 *   signatures) wraps earlier; its repeats differ in jitter.
 *
 * The object count of index j follows a period-10 pattern (two 1-object, four 2-object and four
 * 3-object scenes per 10 indices), shuffled per period by the seed.
 */
import { InvalidArgumentError, type Rng } from '@vlp/core';
import { KeyedPermutation } from './keyed-permutation.js';
import type { SceneObject, ShapesVLSplit } from './types.js';
import { CELL_EXTENT, COLOURS, JITTER, POSITIONS, SHAPES, type ObjectSize } from './vocabulary.js';

const TYPES = COLOURS.length * SHAPES.length;
const CELLS = POSITIONS.length;
/** The 28 unordered pairs of the 8 cells left after the main object's, as indices into that list of 8. */
const PAIRS_OF_8: readonly (readonly [number, number])[] = (() => {
  const pairs: [number, number][] = [];
  for (let a = 0; a < 8; a++) for (let b = a + 1; b < 8; b++) pairs.push([a, b]);
  return pairs;
})();

/** Size of the signature space of k-object scenes. */
export const SIGNATURE_SPACE: Readonly<Record<1 | 2 | 3, number>> = {
  1: CELLS * TYPES * 2,
  2: CELLS * TYPES * (CELLS - 1) * TYPES,
  3: CELLS * TYPES * PAIRS_OF_8.length * TYPES * TYPES,
};

const MODULUS: Readonly<Record<1 | 2 | 3, number>> = { 1: 4, 2: 10, 3: 10 };
const RESIDUES: Readonly<Record<ShapesVLSplit, Readonly<Record<1 | 2 | 3, readonly number[]>>>> = {
  test: { 1: [0], 2: [0], 3: [0] },
  val: { 1: [1], 2: [1], 3: [1] },
  train: { 1: [2, 3], 2: [2, 3, 4, 5, 6, 7, 8, 9], 3: [2, 3, 4, 5, 6, 7, 8, 9] },
};

/** Object counts of one period of 10 indices (before the per-period shuffle). */
const PERIOD_PATTERN: readonly (1 | 2 | 3)[] = [1, 1, 2, 2, 2, 2, 3, 3, 3, 3];
const PER_PERIOD: Readonly<Record<1 | 2 | 3, number>> = { 1: 2, 2: 4, 3: 4 };

/** A signature object before jitter: attributes and cell index. */
interface PlacedType {
  readonly type: number;
  readonly size: ObjectSize;
  readonly cell: number;
}

/** Decodes signature number `r` of the k-object space; the main object comes first. */
export function unrankSignature(k: 1 | 2 | 3, r: number): PlacedType[] {
  if (k === 1) {
    const size: ObjectSize = r % 2 === 0 ? 'small' : 'large';
    const rest = Math.floor(r / 2);
    return [{ type: rest % TYPES, size, cell: Math.floor(rest / TYPES) }];
  }
  let rest = r;
  const take = (n: number): number => {
    const v = rest % n;
    rest = Math.floor(rest / n);
    return v;
  };
  const mainType = take(TYPES);
  const mainCell = take(CELLS);
  const others = [...Array(CELLS).keys()].filter((c) => c !== mainCell);
  const main: PlacedType = { type: mainType, size: 'large', cell: mainCell };
  if (k === 2) {
    const type = take(TYPES);
    return [main, { type, size: 'small', cell: others[take(CELLS - 1)] }];
  }
  const typeA = take(TYPES);
  const typeB = take(TYPES);
  const [a, b] = PAIRS_OF_8[take(PAIRS_OF_8.length)];
  return [main, { type: typeA, size: 'small', cell: others[a] }, { type: typeB, size: 'small', cell: others[b] }];
}

/** The permutations of one seed, built once per seed and cached. */
class SeedLayout {
  private readonly perms: Record<1 | 2 | 3, KeyedPermutation>;
  private readonly patterns = new Map<string, readonly (1 | 2 | 3)[]>();

  constructor(private readonly root: Rng) {
    const keysFor = (k: number): number[] => {
      const rng = root.split(`shapes-vl:permutation:${k}`);
      return [rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()];
    };
    this.perms = {
      1: new KeyedPermutation(SIGNATURE_SPACE[1], keysFor(1)),
      2: new KeyedPermutation(SIGNATURE_SPACE[2], keysFor(2)),
      3: new KeyedPermutation(SIGNATURE_SPACE[3], keysFor(3)),
    };
  }

  /** The object counts of the 10 indices of period `period` of `split`. */
  pattern(split: ShapesVLSplit, period: number): readonly (1 | 2 | 3)[] {
    const key = `${split}:${period}`;
    let pattern = this.patterns.get(key);
    if (!pattern) {
      const order = this.root.split(`shapes-vl:pattern:${key}`).permutation(PERIOD_PATTERN.length);
      pattern = Array.from(order, (i) => PERIOD_PATTERN[i]);
      if (this.patterns.size > 64) this.patterns.clear();
      this.patterns.set(key, pattern);
    }
    return pattern;
  }

  /** The signature (unjittered objects) at `index` of `split`. */
  signature(split: ShapesVLSplit, index: number): PlacedType[] {
    const period = Math.floor(index / PERIOD_PATTERN.length);
    const slot = index % PERIOD_PATTERN.length;
    const pattern = this.pattern(split, period);
    const k = pattern[slot];
    let c = period * PER_PERIOD[k];
    for (let t = 0; t < slot; t++) if (pattern[t] === k) c++;
    const position = splitPosition(split, k, c);
    return unrankSignature(k, this.perms[k].at(position));
  }
}

/** The position in π_k's order of the c-th k-object scene of `split` (wrapping when its share is used up). */
function splitPosition(split: ShapesVLSplit, k: 1 | 2 | 3, c: number): number {
  const residues = RESIDUES[split][k];
  const modulus = MODULUS[k];
  const n = SIGNATURE_SPACE[k];
  const capacity = residues.reduce((sum, rho) => sum + Math.ceil((n - rho) / modulus), 0);
  const cc = c % capacity;
  const at = (i: number) => modulus * Math.floor(i / residues.length) + residues[i % residues.length];
  // Residue classes are interleaved, so positions below n are exactly the first `capacity` ones.
  return at(cc);
}

const layouts = new Map<bigint, SeedLayout>();

function layoutFor(rng: Rng): SeedLayout {
  let layout = layouts.get(rng.seed);
  if (!layout) {
    layout = new SeedLayout(rng);
    if (layouts.size > 16) layouts.clear();
    layouts.set(rng.seed, layout);
  }
  return layout;
}

/** Largest index a split may have (ids reserve 10⁸ per split). */
export const MAX_SPLIT_INDEX = 99_999_999;

/** Throws `InvalidArgumentError` unless `split` and `index` are valid. */
export function checkSplitIndex(split: unknown, index: unknown): asserts split is ShapesVLSplit {
  if (split !== 'train' && split !== 'val' && split !== 'test') {
    throw new InvalidArgumentError({
      message: `Unknown Shapes-VL split ${JSON.stringify(split)}; use "train", "val" or "test".`,
      expected: '"train" | "val" | "test"',
      actual: split,
    });
  }
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > MAX_SPLIT_INDEX) {
    throw new InvalidArgumentError({
      message: `Shapes-VL sample index must be an integer from 0 to ${MAX_SPLIT_INDEX} (got ${String(index)}).`,
      expected: `integer in [0, ${MAX_SPLIT_INDEX}]`,
      actual: index,
    });
  }
}

/**
 * The objects of scene (split, index) for the seed's root stream `root`: the signature, then a
 * jitter of each centre inside its cell drawn from `jitterRng`. Main object first, then the others
 * in cell order.
 */
export function layoutScene(root: Rng, split: ShapesVLSplit, index: number, jitterRng: Rng): SceneObject[] {
  const placed = layoutFor(root).signature(split, index);
  const [main, ...rest] = placed;
  const ordered = [main, ...rest.sort((a, b) => a.cell - b.cell)];
  return ordered.map(({ type, size, cell }) => {
    const jitter = JITTER[size];
    const dx = jitterRng.nextInt(2 * jitter + 1) - jitter;
    const dy = jitterRng.nextInt(2 * jitter + 1) - jitter;
    return {
      shape: SHAPES[type % SHAPES.length],
      colour: COLOURS[Math.floor(type / SHAPES.length)],
      size,
      position: POSITIONS[cell],
      x: (cell % 3) * CELL_EXTENT + CELL_EXTENT / 2 + dx,
      y: Math.floor(cell / 3) * CELL_EXTENT + CELL_EXTENT / 2 + dy,
    };
  });
}
