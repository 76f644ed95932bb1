import type { Granularity, PruneRequest, PruneResult } from '../contract/pruner.js';
import type { PrunableUnit, Structure } from '../contract/view.js';
import { InvalidArgumentError, ShapeMismatchError, SparsityMismatchError } from '../errors/index.js';
import { structureMaskToUnitMasks } from './structure-masks.js';

/** What {@link verifyResult} needs to know about the run. */
export interface VerifyContext {
  readonly prunerId: string;
  readonly granularity: Granularity;
  readonly units: readonly PrunableUnit[];
  readonly structures: readonly Structure[];
  /** Names of the units the request covers. */
  readonly scope: ReadonlySet<string>;
  readonly request: PruneRequest;
  readonly tolerance: number;
}

/** The checked outcome: unit masks (structure masks converted) and the realised sparsity in scope. */
export interface VerifiedResult {
  readonly masks: Map<string, Uint8Array>;
  readonly realisedSparsity: number;
}

function bug(prunerId: string, what: string, extra: { tensor?: string; actual?: unknown; expected?: unknown } = {}): InvalidArgumentError {
  return new InvalidArgumentError({
    message: `Pruner "${prunerId}" returned an invalid result: ${what}. This is a bug in the pruner; report it to its authors.`,
    ...extra,
  });
}

function collectMasks(result: PruneResult, ctx: VerifyContext): Map<string, Uint8Array> {
  const { prunerId, granularity } = ctx;
  if (typeof result !== 'object' || result === null) throw bug(prunerId, `expected an object, got ${String(result)}`);
  if (result.masks !== undefined && !(result.masks instanceof Map)) throw bug(prunerId, '`masks` must be a Map<unit, Uint8Array>');
  if (granularity !== 'structured') {
    if (!result.masks) throw bug(prunerId, `a ${granularity} pruner must return \`masks\` (a Map from unit name to Uint8Array)`);
    return new Map(result.masks);
  }
  const removed = result.structureMask?.removed;
  if (!Array.isArray(removed)) throw bug(prunerId, 'a structured pruner must return `structureMask: { removed: string[] }`');
  const masks = structureMaskToUnitMasks(ctx, { removed });
  for (const [unit, extra] of result.masks ?? []) {
    const own = masks.get(unit);
    if (!own || !(extra instanceof Uint8Array) || extra.length !== own.length) masks.set(unit, extra);
    else for (let i = 0; i < own.length; i++) own[i] &= extra[i];
  }
  return masks;
}

/** Counts pruned entries, checking that `mask` is a 0/1 Uint8Array of the unit's size. */
function checkMask(unit: PrunableUnit, mask: unknown, prunerId: string): number {
  const numel = unit.shape[0] * unit.shape[1];
  if (!(mask instanceof Uint8Array)) throw bug(prunerId, `the mask of "${unit.name}" must be a Uint8Array`, { tensor: unit.name });
  if (mask.length !== numel) {
    throw new ShapeMismatchError({
      message: `Pruner "${prunerId}" returned a mask of ${mask.length} entries for "${unit.name}", whose weight is [${unit.shape.join(', ')}] = ${numel}; masks are row-major over [out, in].`,
      tensor: unit.name,
      expected: numel,
      actual: mask.length,
    });
  }
  let pruned = 0;
  for (let i = 0; i < numel; i++) {
    const v = mask[i];
    if (v === 0) pruned++;
    else if (v !== 1) throw bug(prunerId, `the mask of "${unit.name}" holds ${v} at index ${i}; masks hold only 0 (prune) and 1 (keep)`, { tensor: unit.name });
  }
  return pruned;
}

function checkWeights(result: PruneResult, units: ReadonlyMap<string, PrunableUnit>, prunerId: string): void {
  if (result.weights === undefined) return;
  if (!(result.weights instanceof Map)) throw bug(prunerId, '`weights` must be a Map<unit, Float32Array>');
  for (const [name, values] of result.weights) {
    const unit = units.get(name);
    if (!unit) throw bug(prunerId, `\`weights\` names unknown unit "${name}"`, { tensor: name });
    const numel = unit.shape[0] * unit.shape[1];
    if (!(values instanceof Float32Array) || values.length !== numel) {
      throw new ShapeMismatchError({
        message: `Pruner "${prunerId}" returned updated weights for "${name}" that are not a Float32Array of ${numel} values ([${unit.shape.join(', ')}]).`,
        tensor: name,
        expected: numel,
        actual: values instanceof Float32Array ? values.length : typeof values,
      });
    }
  }
}

/**
 * Checks a pruner's result against the view and the request: the masks (or the structure mask,
 * converted to unit masks) name known units, have the unit's size and hold only 0/1; units outside
 * the request's scope are not pruned; updated weights have the right sizes; and the realised
 * sparsity over the units in scope is within `tolerance` of the request (`VLP_SPARSITY_MISMATCH`).
 */
export function verifyResult(result: PruneResult, ctx: VerifyContext): VerifiedResult {
  const units = new Map(ctx.units.map((u) => [u.name, u]));
  const masks = collectMasks(result, ctx);
  let pruned = 0;
  for (const [name, mask] of masks) {
    const unit = units.get(name);
    if (!unit) throw bug(ctx.prunerId, `it has a mask for unknown unit "${name}"`, { tensor: name });
    const count = checkMask(unit, mask, ctx.prunerId);
    if (!ctx.scope.has(name)) {
      if (count > 0) throw bug(ctx.prunerId, `it prunes "${name}", which is outside the request's scope`, { tensor: name });
    } else pruned += count;
  }
  checkWeights(result, units, ctx.prunerId);
  let numel = 0;
  for (const name of ctx.scope) numel += units.get(name)!.shape[0] * units.get(name)!.shape[1];
  const realisedSparsity = numel === 0 ? 0 : pruned / numel;
  const requested = ctx.request.sparsity;
  if (Math.abs(realisedSparsity - requested) > ctx.tolerance + 1e-12) {
    throw new SparsityMismatchError({
      message:
        `Pruner "${ctx.prunerId}" realised sparsity ${realisedSparsity.toFixed(4)} over ${ctx.scope.size} units in scope, ` +
        `but ${requested} was requested (tolerance ±${ctx.tolerance}). ` +
        'Fix the pruner, or pass a larger `tolerance` to prune() if the method cannot hit the target exactly.',
      expected: requested,
      actual: realisedSparsity,
    });
  }
  return { masks, realisedSparsity };
}
