import { InvalidArgumentError } from '../errors/index.js';
import { applyCut, lowestCut } from './lowest-cut.js';
import { type ScoreArray, assertCount, assertNoNaN } from './validate.js';

/**
 * Prunes exactly `k` lowest scores of the listed tensors under ONE shared threshold (in place
 * of a global `kthvalue` over their concatenation). Shared by {@link pruneLowestGlobal} and
 * `pruneLowestPerGroup`; `names` must exist in `scores` and be distinct.
 */
export function pruneLowestAcross(
  names: readonly string[],
  scores: ReadonlyMap<string, ScoreArray>,
  k: number,
): Map<string, Uint8Array> {
  let numel = 0;
  let anyF64 = false;
  for (const name of names) {
    const s = scores.get(name);
    if (s === undefined) {
      throw new InvalidArgumentError({
        message:
          `No scores for tensor "${name}". Every tensor named in a group needs an entry in the scores map ` +
          `(known: ${[...scores.keys()].slice(0, 5).join(', ')}${scores.size > 5 ? ', ...' : ''}).`,
        tensor: name,
      });
    }
    assertNoNaN(s, `scores of "${name}"`);
    numel += s.length;
    if (s instanceof Float64Array) anyF64 = true;
  }
  assertCount(k, numel, 'k');

  const all = anyF64 ? new Float64Array(numel) : new Float32Array(numel);
  let offset = 0;
  for (const name of names) {
    const s = scores.get(name) as ScoreArray;
    all.set(s, offset);
    offset += s.length;
  }
  const cut = lowestCut(all, k, true); // `all` is our own scratch copy
  let ties = cut.ties;
  const masks = new Map<string, Uint8Array>();
  for (const name of names) {
    const s = scores.get(name) as ScoreArray;
    const mask = new Uint8Array(s.length);
    ties = applyCut(s, cut.value, ties, mask);
    masks.set(name, mask);
  }
  return masks;
}

/**
 * Prunes exactly the `k` lowest scores over ALL tensors of `scores` with one global threshold
 * (one-shot global magnitude / score pruning). Returns one mask per tensor (1 keeps, 0 prunes),
 * in the map's order.
 *
 * Ties: among equal scores, entries of tensors earlier in the map's iteration order are pruned
 * first, then lower flat index first (i.e. lower index in the concatenation in map order).
 * Throws `InvalidArgumentError` for NaN scores or `k` outside [0, total entries].
 */
export function pruneLowestGlobal(scores: ReadonlyMap<string, ScoreArray>, k: number): Map<string, Uint8Array> {
  return pruneLowestAcross([...scores.keys()], scores, k);
}
