import { InvalidConfigError, NotSupportedError, throwIfAborted, type PrunableUnit, type PrunableView, type PruneContext, type PruneRequest } from '@vlp/core';
import { allocateKeep, groupSparsities, keepBudget } from './allocate.js';
import { allocateOfficial, officialKeepBudget } from './allocate-official.js';
import type { EcoflapConfig } from './ecoflap-config.js';
import { firstOrderGradients } from './first-order.js';
import { type UnitGroup, groupScores, groupUnits } from './groups.js';
import { contrastiveLogitsLoss, taskLoss } from './loss.js';
import { firstOrderImportance, zerothOrderImportance } from './score.js';
import { type NoiseSource, type ZerothOrderGradients, rngNoise, zerothOrderGradients } from './zeroth-order.js';

/** The cap actually used: `config.maxSparsity`, or `sparsity + 0.1` (official scripts) capped at 0.99. */
export function resolveMaxSparsity(config: Pick<EcoflapConfig, 'maxSparsity'>, sparsity: number): number {
  const max = config.maxSparsity ?? Math.min(0.99, Math.round((sparsity + 0.1) * 1e12) / 1e12);
  if (max < sparsity) {
    throw new InvalidConfigError({
      message: `maxSparsity (${max}) must be ≥ sparsity (${sparsity}): no group may be pruned less than the cap allows if the total is to reach the target.`,
      issues: [{ message: `maxSparsity (${max}) must be ≥ sparsity (${sparsity})`, path: ['maxSparsity'] }],
    });
  }
  return max;
}

/** Per-group keep counts and sparsities for given scores (exact or official allocation). */
export function allocateGroups(
  scores: readonly number[],
  sizes: readonly number[],
  sparsity: number,
  maxSparsity: number,
  mode: EcoflapConfig['allocation'],
): { keep: number[]; sparsity: number[] } {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (mode === 'official') {
    const official = allocateOfficial(scores, sizes, officialKeepBudget(total, sparsity), maxSparsity);
    return { keep: official.keep.map((k) => Math.round(k)), sparsity: official.sparsity };
  }
  const keep = allocateKeep(scores, sizes, keepBudget(total, sparsity), maxSparsity);
  return { keep, sparsity: groupSparsities(keep, sizes) };
}

/** What stage 1 produced. */
export interface CoarseResult {
  readonly groups: readonly UnitGroup[];
  readonly importance: ReadonlyMap<string, number>;
  readonly scores: readonly number[];
  readonly keep: readonly number[];
  readonly sparsity: readonly number[];
  readonly maxSparsity: number;
  /** Zeroth-order draws per unit (empty for first-order). */
  readonly zerothOrder?: ZerothOrderGradients;
  /** Forwards (zeroth-order) or backwards (first-order) run. */
  readonly passes: number;
}

/** Extra knobs for tests and diagnostics. */
export interface CoarseOptions {
  /** Replaces the seeded `ctx.rng` noise (e.g. the official run's saved `z`). */
  readonly noise?: NoiseSource;
  readonly onUnitEnd?: () => void;
  /** Wraps every loss (zeroth-order) or gradient (first-order) pass, e.g. to measure its peak memory. */
  readonly measure?: <T>(pass: () => Promise<T>) => Promise<T>;
}

async function readWeight(view: PrunableView<unknown>, unit: PrunableUnit, signal: AbortSignal): Promise<Float32Array> {
  throwIfAborted(signal, `reading ${unit.name}`);
  return (await view.weight(unit.name).data()) as Float32Array;
}

/**
 * Stage 1 (ECoFLaP §3.2): unit importances (zeroth- or first-order), group scores, and the capped
 * allocation of the keep budget. Reads the weights, never writes them.
 */
export async function coarseAllocation<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  request: PruneRequest,
  ctx: PruneContext<EcoflapConfig, Batch>,
  options: CoarseOptions = {},
): Promise<CoarseResult> {
  const { config } = ctx;
  const maxSparsity = resolveMaxSparsity(config, request.sparsity);
  const calibration = ctx.calibration!;
  const importance = new Map<string, number>();
  let zerothOrder: ZerothOrderGradients | undefined;
  let passes = 0;
  if (config.scores.kind === 'zeroth-order') {
    const zo = config.scores;
    const fallback = zo.loss === 'task' && !ctx.task?.loss;
    if (fallback) {
      ctx.emit({ type: 'warning', message: "ECoFLaP: no task loss given (options.task); stage 1 uses the symmetric InfoNCE of the view's contrastive logits instead (scores.loss: 'contrastive-logits')." });
    }
    const plain = zo.loss === 'task' && !fallback ? taskLoss(view, ctx.task, zo.engine) : contrastiveLogitsLoss(view, zo.engine);
    const measure = options.measure;
    const loss: typeof plain = measure ? (batch, weights, signal) => measure(() => plain(batch, weights, signal)) : plain;
    zerothOrder = await zerothOrderGradients(units, calibration, ctx, {
      epsilon: zo.epsilon,
      samples: zo.samples,
      noiseSamples: zo.noiseSamples,
      noise: options.noise ?? rngNoise(ctx.rng),
      loss,
      readWeight: (u) => readWeight(view, u, ctx.signal),
      onUnitEnd: options.onUnitEnd,
    });
    for (const unit of units) {
      const g = zerothOrder.get(unit.name)!;
      passes += 2 * g.draws.length;
      importance.set(unit.name, zerothOrderImportance(zo.importance, g.accumulated, await readWeight(view, unit, ctx.signal)));
    }
  } else {
    const fo = config.scores;
    if (!ctx.task?.loss) throw new NotSupportedError({ message: "ECoFLaP's first-order scores need a differentiable task loss (options.task of prune())." });
    const grads = await firstOrderGradients(view, units, calibration, ctx.task, ctx, { ...fo, ...(options.measure ? { measure: options.measure } : {}) });
    passes = grads.batches;
    for (const unit of units) importance.set(unit.name, firstOrderImportance(fo.importance, grads.sums.get(unit.name)!, await readWeight(view, unit, ctx.signal), Math.max(1, grads.batches)));
  }
  const groups = groupUnits(units, config.granularity);
  const scores = groupScores(groups, importance, config.groupScore);
  const allocation = allocateGroups(scores, groups.map((g) => g.size), request.sparsity, maxSparsity, config.allocation);
  return { groups, importance, scores, ...allocation, maxSparsity, zerothOrder, passes };
}
