import { usageError } from '../errors/bench-errors.js';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `--shard i/n` (1 ≤ i ≤ n). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw usageError(`--shard takes i/n with 1 ≤ i ≤ n, e.g. --shard 1/2 (got "${text}").`);
  return { index, count };
}

/**
 * The items of shard i/n: every n-th item of the grid starting at the i-th, so shards are
 * disjoint, cover the grid, and stay balanced across models and pruners.
 */
export function selectShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...items];
  return items.filter((_, position) => position % shard.count === shard.index - 1);
}
