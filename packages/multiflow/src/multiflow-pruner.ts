import { type PrunableUnit, type PrunableView, type Pruner, definePruner, throwIfAborted } from '@vlp/core';
import { type PriorUnit, multimodalPrior } from './allocate.js';
import { collectActivationStatistics } from './calibrate.js';
import { informationFlowMask } from './mask.js';
import { MULTIFLOW_MODALITIES, priorGroup, unitsInScope } from './modality-groups.js';
import { type MultiflowConfig, type MultiflowConfigInput, multiflowConfigSchema } from './multiflow-config.js';
import { MULTIFLOW_PAPER } from './paper.js';
import { informationFlowScores } from './score.js';
import { VERSION } from './version.js';
import { withDefaults } from '@vlp/baselines';

/**
 * A unit's weight as the view holds it, `[out, in]` row-major. Read-only: on the cpu backend this is
 * the tensor's own buffer, so it is never written. Checks `signal` first.
 */
async function readWeight(view: PrunableView<unknown>, unit: PrunableUnit, signal: AbortSignal): Promise<Float32Array> {
  throwIfAborted(signal, `reading ${unit.name}`);
  return (await view.weight(unit.name).data()) as Float32Array;
}

/** The multimodal prior (eq. 7) of `units` from the view's current weights, reading one unit at a time. */
async function priorOf(view: PrunableView<unknown>, units: readonly PrunableUnit[], sparsity: number, config: MultiflowConfig, signal: AbortSignal) {
  const priorUnits: PriorUnit[] = [];
  for (const unit of units) priorUnits.push({ name: unit.name, group: priorGroup(unit.modality, config.fusionAs), weight: await readWeight(view, unit, signal) });
  return multimodalPrior(priorUnits, sparsity, config.rounding);
}

/**
 * MULTIFLOW (Farina et al., CVPR 2024): one-shot, gradient-free, task-agnostic unstructured pruning
 * of every prunable linear. Lifecycle (the official `MultiFlow.prune`):
 * 1. prior (eq. 7): read every weight in scope and compute, per modality group (vision, text —
 *    `fusion` joins text unless `fusionAs: 'fusion'`), the per-unit sparsities of global magnitude
 *    pruning at `request.sparsity` (abort checked between reads);
 * 2. calibrate: run up to `numBatches` batches of image–text pairs through the whole model with a
 *    valid-token `input-sum-squares` tap on every unit → `a_j = Σ x_j² / N_seq`
 *    (`calibration-start` / `calibration-batch-end` / `calibration-end`, abort checked per batch);
 * 3. per unit (`unit-score-start` / `unit-score-end`, abort checked): information-flow scores (eq. 6)
 *    and the mask pruning the unit's `k_l` lowest scores (eq. 8);
 * 4. return the masks (weights are not modified) with each unit's prior sparsity as its target.
 * `defaults` are config defaults under the run's config.
 *
 * @example
 * const report = await prune(multiflow(), clipView(model), { sparsity: 0.75, seed: 0 }, { calibration });
 */
export function multiflow(defaults?: MultiflowConfigInput): Pruner<MultiflowConfig, MultiflowConfigInput> {
  return definePruner<MultiflowConfig, MultiflowConfigInput>({
    id: 'multiflow',
    displayName: 'MULTIFLOW',
    version: VERSION,
    paper: MULTIFLOW_PAPER,
    configSchema: withDefaults(multiflowConfigSchema, defaults, 'multiflow'),
    capabilities: {
      architectures: '*',
      modalities: MULTIFLOW_MODALITIES,
      granularity: 'unstructured',
      requires: { calibration: true, gradients: false, training: false, evaluator: false },
    },
    async prune(view, request, ctx) {
      const { numBatches, rounding, engine } = ctx.config;
      const units = unitsInScope(view, request);
      const timings = { prior: 0, calibration: 0, scoring: 0 };

      let started = performance.now();
      const prior = await priorOf(view, units, request.sparsity, ctx.config, ctx.signal);
      timings.prior = performance.now() - started;

      started = performance.now();
      const calibration = await collectActivationStatistics(view, units, ctx.calibration!, ctx, {
        numBatches,
        ...(engine === 'auto' ? {} : { engine }),
      });
      timings.calibration = performance.now() - started;

      started = performance.now();
      const masks = new Map<string, Uint8Array>();
      for (const [index, unit] of units.entries()) {
        const weight = await readWeight(view, unit, ctx.signal);
        ctx.emit({ type: 'unit-score-start', unit: unit.name, index, total: units.length });
        const scores = informationFlowScores(weight, calibration.statistics.get(unit.name)!.actSqMean, unit.shape);
        masks.set(unit.name, informationFlowMask(scores, prior.units.get(unit.name)!.k, rounding));
        ctx.emit({ type: 'unit-score-end', unit: unit.name, index, total: units.length });
      }
      timings.scoring = performance.now() - started;
      ctx.emit({ type: 'mask-end', units: units.length });

      const groups = [...prior.groups.keys()].join(', ');
      return {
        masks,
        targets: new Map(units.map((u) => [u.name, prior.units.get(u.name)!.sparsity])),
        timings,
        metrics: { calibrationBatches: calibration.batches },
        notes: [
          `calibration: ${calibration.batches} batch(es) on the ${calibration.engine} engine`,
          `multimodal prior over ${prior.groups.size} group(s) (${groups}), rounding: ${rounding}`,
        ],
      };
    },
  });
}
