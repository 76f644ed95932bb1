import type { MaskSet, Modality, PrunableUnit, UnitRole } from '../contract/view.js';
import { InvalidArgumentError } from '../errors/index.js';

/** Pruned-entry counts of a set of weights. `sparsity = pruned / numel` (0 when `numel` is 0). */
export interface SparsityCounts {
  readonly numel: number;
  readonly pruned: number;
  readonly sparsity: number;
}

/** One unit's line of a {@link SparsityReport}. */
export interface UnitSparsity extends SparsityCounts {
  /** The unit's canonical name. */
  readonly unit: string;
  readonly modality: Modality;
  readonly blockId: string;
  readonly role: UnitRole;
  /** The requested sparsity of the unit, when `targets` gave one. */
  readonly target?: number;
}

/** Realised sparsity per unit, per modality, per block and in total. */
export interface SparsityReport {
  /** One entry per unit, in the order of `units`. */
  readonly perUnit: readonly UnitSparsity[];
  /** Only the modalities that occur among the units. */
  readonly perModality: Partial<Record<Modality, SparsityCounts>>;
  /** Keyed by {@link PrunableUnit.blockId}, in order of first appearance. */
  readonly perBlock: Record<string, SparsityCounts>;
  readonly total: SparsityCounts;
}

/** The number of pruned entries (zeros) of a mask (1 keeps, 0 prunes). */
export function countPruned(mask: Uint8Array): number {
  let pruned = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === 0) pruned++;
  return pruned;
}

interface Tally {
  numel: number;
  pruned: number;
}

const counts = (t: Tally): SparsityCounts => ({
  numel: t.numel,
  pruned: t.pruned,
  sparsity: t.numel === 0 ? 0 : t.pruned / t.numel,
});

function add(into: Map<string, Tally>, key: string, numel: number, pruned: number): void {
  const t = into.get(key);
  if (t === undefined) into.set(key, { numel, pruned });
  else {
    t.numel += numel;
    t.pruned += pruned;
  }
}

function unknownNames(kind: string, names: string[]): InvalidArgumentError {
  const shown = names.slice(0, 5).map((n) => `"${n}"`).join(', ');
  return new InvalidArgumentError({
    message:
      `${kind} name ${names.length} tensor(s) that are not prunable units: ` +
      `${shown}${names.length > 5 ? ', ...' : ''}. ` +
      'Key masks and targets by the canonical unit names of view.units (the HF parameter names).',
    tensor: names[0],
    actual: names,
  });
}

/**
 * Realised sparsity of `masks` over `units`: per unit (with its target when `targets` has one),
 * per modality, per block and in total. A unit without a mask counts as dense.
 *
 * Throws `InvalidArgumentError` when a mask's length differs from its unit's `out·in` (naming
 * the unit), when `masks` or `targets` name a tensor that is not a unit, when a target is not in
 * [0, 1], or when two units share a name.
 */
export function sparsityReport(
  units: readonly PrunableUnit[],
  masks: MaskSet,
  targets?: ReadonlyMap<string, number>,
): SparsityReport {
  const names = new Set<string>();
  for (const u of units) {
    if (names.has(u.name)) {
      throw new InvalidArgumentError({
        message: `Two prunable units share the name "${u.name}"; unit names must be unique.`,
        tensor: u.name,
      });
    }
    names.add(u.name);
  }
  const strayMasks = [...masks.keys()].filter((n) => !names.has(n));
  if (strayMasks.length > 0) throw unknownNames('masks', strayMasks);
  if (targets !== undefined) {
    const strayTargets = [...targets.keys()].filter((n) => !names.has(n));
    if (strayTargets.length > 0) throw unknownNames('targets', strayTargets);
    for (const [name, t] of targets) {
      if (typeof t !== 'number' || !(t >= 0 && t <= 1)) {
        throw new InvalidArgumentError({
          message: `The target sparsity of "${name}" must be in [0, 1] (got ${String(t)}).`,
          tensor: name,
          expected: '0 <= target <= 1',
          actual: t,
        });
      }
    }
  }

  const perUnit: UnitSparsity[] = [];
  const byModality = new Map<string, Tally>();
  const byBlock = new Map<string, Tally>();
  const total: Tally = { numel: 0, pruned: 0 };
  for (const u of units) {
    const numel = u.shape[0] * u.shape[1];
    const mask = masks.get(u.name);
    if (mask !== undefined && mask.length !== numel) {
      throw new InvalidArgumentError({
        message:
          `The mask of unit "${u.name}" has ${mask.length} entries but the unit's shape ` +
          `[${u.shape[0]}, ${u.shape[1]}] has ${numel}. Masks are flat row-major over [out, in].`,
        tensor: u.name,
        expected: numel,
        actual: mask.length,
      });
    }
    const pruned = mask === undefined ? 0 : countPruned(mask);
    const target = targets?.get(u.name);
    perUnit.push({
      unit: u.name,
      modality: u.modality,
      blockId: u.blockId,
      role: u.role,
      ...counts({ numel, pruned }),
      ...(target === undefined ? {} : { target }),
    });
    add(byModality, u.modality, numel, pruned);
    add(byBlock, u.blockId, numel, pruned);
    total.numel += numel;
    total.pruned += pruned;
  }

  const perModality: Partial<Record<Modality, SparsityCounts>> = {};
  for (const [m, t] of byModality) perModality[m as Modality] = counts(t);
  const perBlock = Object.fromEntries([...byBlock].map(([b, t]) => [b, counts(t)])) as Record<string, SparsityCounts>;
  return { perUnit, perModality, perBlock, total: counts(total) };
}
