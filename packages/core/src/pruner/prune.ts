import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../contract/abort.js';
import type { Emit, PruneEvent } from '../contract/events.js';
import type { Granularity, PruneContext, PruneRequest, PruneResult, Pruner } from '../contract/pruner.js';
import type { PrunableView } from '../contract/view.js';
import { AbortedError, NotSupportedError, VlpError } from '../errors/index.js';
import { sparsityReport } from '../masks/index.js';
import { createRng } from '../rng/index.js';
import { checkCapabilities } from './check-capabilities.js';
import { checkPruner, checkView } from './check-inputs.js';
import { type PruneOptions, validateOptions } from './prune-options.js';
import type { PruneReport } from './prune-report.js';
import { resolveScope } from './resolve-scope.js';
import { validateStandard } from './validate.js';
import { validateRequest } from './validate-request.js';
import { verifyResult } from './verify-result.js';

const DEFAULT_TOLERANCE: Record<Granularity, number> = { unstructured: 0.01, 'n:m': 0.01, structured: 0.05 };

function isAbortLike(error: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted || VlpError.isInstance(error)) return false;
  return error === signal.reason || (error instanceof Error && error.name === 'AbortError');
}

async function runPruner<Config, Batch>(
  pruner: Pruner<Config, unknown, Batch>,
  view: PrunableView<Batch>,
  request: PruneRequest,
  ctx: PruneContext<Config, Batch>,
): Promise<PruneResult> {
  try {
    const result = await pruner.prune(view, request, ctx);
    throwIfAborted(ctx.signal, `pruner "${pruner.id}"`);
    return result;
  } catch (error) {
    if (!isAbortLike(error, ctx.signal)) throw error;
    throw new AbortedError({ message: `Aborted during pruner "${pruner.id}".`, cause: error });
  }
}

/**
 * Runs a pruner on a view, the one public entry point of the Pruner contract:
 * 1. checks the signal, the request (`sparsity` in [0, 1), integer `seed` ≥ 0, `scope`) and the options,
 *    and parses `options.config` once with the pruner's Standard Schema (`VLP_INVALID_CONFIG` with
 *    issue paths);
 * 2. checks capabilities: architecture (`VLP_UNSUPPORTED_ARCHITECTURE`), calibration, task loss and
 *    evaluator (`VLP_CALIBRATION_REQUIRED`);
 * 3. emits `prune-start`, calls `pruner.prune(view, request, ctx)` with `ctx.rng` seeded from
 *    `request.seed` and split by the pruner id, and checks the signal again (`VLP_ABORTED`);
 * 4. verifies the result (masks or structure mask; sizes, 0/1 values, scope) and the realised
 *    sparsity over the units in scope (`VLP_SPARSITY_MISMATCH` beyond the tolerance);
 * 5. unless `apply: false`, sets the pruner's updated weights and applies the masks to the view;
 * 6. emits `prune-end` last and returns a {@link PruneReport}.
 *
 * @example
 * const report = await prune(magnitude(), view, { sparsity: 0.5, seed: 0 }, { onEvent: console.error });
 */
export async function prune<Config, ConfigInput, Batch>(
  pruner: Pruner<Config, ConfigInput, Batch>,
  view: PrunableView<Batch>,
  request: PruneRequest,
  options: PruneOptions<NoInfer<ConfigInput>, NoInfer<Batch>> = {},
): Promise<PruneReport<Config>> {
  const started = performance.now();
  throwIfAborted((options as PruneOptions | undefined)?.signal, 'prune() before the pruner started');
  checkPruner(pruner);
  const opts = validateOptions(options) as PruneOptions<ConfigInput, Batch>;
  checkView(view);
  const req = validateRequest(request, pruner.capabilities.modalities);
  const config = await validateStandard(pruner.configSchema, opts.config ?? {}, `config of pruner "${pruner.id}"`);
  checkCapabilities(pruner, view, opts);
  const scope = resolveScope(view, pruner.capabilities, req, pruner.id);
  const inScope = new Set(scope.map((u) => u.name));
  const tolerance = opts.tolerance ?? pruner.capabilities.sparsityTolerance ?? DEFAULT_TOLERANCE[pruner.capabilities.granularity];

  let events = 0;
  const emit: Emit = (event: PruneEvent) => {
    events++;
    opts.onEvent?.(event);
  };
  const signal = opts.signal ?? new AbortController().signal;
  const backend = opts.backend ?? tf.getBackend();
  const ctx: PruneContext<Config, Batch> = Object.freeze({
    config,
    calibration: opts.calibration,
    task: opts.task,
    rng: createRng(req.seed).split(pruner.id),
    signal,
    emit,
    backend,
  });

  throwIfAborted(signal, `prune() before pruner "${pruner.id}" started`);
  emit({ type: 'prune-start', pruner: pruner.id, sparsity: req.sparsity });
  const pruneStarted = performance.now();
  const result = await runPruner(pruner as Pruner<Config, unknown, Batch>, view, req, ctx);
  const pruneMs = performance.now() - pruneStarted;

  const { masks, realisedSparsity } = verifyResult(result, {
    prunerId: pruner.id,
    granularity: pruner.capabilities.granularity,
    units: view.units,
    structures: view.structures,
    scope: inScope,
    request: req,
    tolerance,
  });
  const scopedMasks = new Map([...masks].filter(([name]) => inScope.has(name)));
  const targets = result.targets && new Map([...result.targets].filter(([name]) => inScope.has(name)));
  const sparsity = sparsityReport(scope, scopedMasks, targets);

  const apply = opts.apply ?? true;
  const applyStarted = performance.now();
  if (apply) {
    if (result.weights && result.weights.size > 0) {
      if (!view.setWeights) {
        throw new NotSupportedError({
          message: `Pruner "${pruner.id}" updates surviving weights, but the ${view.architecture} view has no setWeights(); use a view that implements it, or pass apply: false.`,
        });
      }
      view.setWeights(result.weights);
    }
    if (masks.size > 0) view.applyMasks(masks);
  }
  const applyMs = performance.now() - applyStarted;

  const total = performance.now() - started;
  emit({ type: 'prune-end', realisedSparsity, durationMs: total });
  return {
    pruner: { id: pruner.id, version: pruner.version },
    config,
    request: req,
    masks,
    ...(result.structureMask ? { structureMask: result.structureMask } : {}),
    sparsity,
    tolerance,
    timings: { ...result.timings, prune: pruneMs, apply: applyMs, total },
    metrics: { ...result.metrics },
    notes: [...(result.notes ?? [])],
    events,
    applied: apply,
    backend,
  };
}
