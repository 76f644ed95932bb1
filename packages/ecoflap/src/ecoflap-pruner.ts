import { definePruner, type Modality, type PrunableView, type Pruner, type PruneRequest } from '@vlp/core';
import { type CoarseOptions, coarseAllocation, resolveMaxSparsity } from './coarse.js';
import { type EcoflapConfig, type EcoflapConfigInput, ecoflapConfigSchema } from './ecoflap-config.js';
import { finePrune, unitTargets } from './fine.js';
import { MemoryProbe } from './memory-probe.js';
import { ECOFLAP_PAPER } from './paper.js';
import { VERSION } from './version.js';
import { withDefaults } from '@vlp/baselines';

const MODALITIES: readonly Modality[] = Object.freeze(['vision', 'text', 'fusion']);

function unitsInScope(view: PrunableView<unknown>, request: PruneRequest) {
  const modalities = request.scope?.modalities ?? MODALITIES;
  return view.units.filter((u) => modalities.includes(u.modality));
}

/**
 * ECoFLaP (Sung, Yoon, Bansal, ICLR 2024): coarse-to-fine layer-wise pruning. Lifecycle:
 * 1. check `maxSparsity ≥ sparsity` (`VLP_INVALID_CONFIG`, path `maxSparsity`) before any work;
 * 2. stage 1, coarse: per unit, the zeroth-order estimate `G = Σ_b |(L(W+εz) − L(W−εz))/2ε|`
 *    (two forwards per batch with the perturbed weight as a per-run override; `unit-score-start`/
 *    `-end`, abort checked between units and batches) or first-order gradients; group scores; the
 *    capped allocation of the keep budget (`allocation: 'exact' | 'official'`);
 * 3. stage 2, fine: Wanda (or SparseGPT) block by block on the already-pruned model, each unit pruning
 *    its exact share of its group's budget;
 * 4. return the masks (and SparseGPT's updated weights), each unit's group sparsity as its target,
 *    and per-stage timings and peak memory (`metrics.stage1PeakRssBytes`, ...).
 * `overrides` are config defaults under the run's config. `coarseOptions` is for diagnostics
 * (e.g. replaying saved noise); leave it out in normal use.
 *
 * @example
 * const report = await prune(ecoflap({ maxSparsity: 0.5 }), clipView(model), { sparsity: 0.4, seed: 0 }, { calibration, task: clipTask(model) });
 */
export function ecoflap(overrides?: EcoflapConfigInput, coarseOptions: CoarseOptions = {}): Pruner<EcoflapConfig, EcoflapConfigInput> {
  return definePruner<EcoflapConfig, EcoflapConfigInput>({
    id: 'ecoflap',
    displayName: 'ECoFLaP',
    version: VERSION,
    paper: ECOFLAP_PAPER,
    configSchema: withDefaults(ecoflapConfigSchema, overrides, 'ecoflap'),
    capabilities: {
      architectures: '*',
      modalities: MODALITIES,
      granularity: 'unstructured',
      requires: { calibration: true, gradients: false, training: false, evaluator: false },
    },
    async prune(view, request, ctx) {
      resolveMaxSparsity(ctx.config, request.sparsity);
      const units = unitsInScope(view, request);

      let started = performance.now();
      const probe1 = new MemoryProbe();
      const coarse = await coarseAllocation(view, units, request, ctx, {
        ...coarseOptions,
        onUnitEnd: () => (probe1.sample(), coarseOptions.onUnitEnd?.()),
        measure: (pass) => probe1.measure(() => (coarseOptions.measure ? coarseOptions.measure(pass) : pass())),
      });
      const stage1 = performance.now() - started;
      const peak1 = probe1.peak;

      started = performance.now();
      const probe2 = new MemoryProbe();
      const targets = unitTargets(coarse);
      const fine = await finePrune(view, units, ctx.calibration!, ctx, { fine: ctx.config.fine, sequential: ctx.config.sequential, targets, onUnit: () => probe2.sample() });
      const stage2 = performance.now() - started;
      const peak2 = probe2.peak;
      ctx.emit({ type: 'mask-end', units: units.length });

      return {
        masks: fine.masks,
        ...(fine.weights.size > 0 ? { weights: fine.weights } : {}),
        targets: new Map(units.map((u) => [u.name, targets.get(u.name)!.sparsity])),
        timings: { stage1, stage2, stage2Calibration: fine.timings.calibration, stage2Scoring: fine.timings.scoring },
        metrics: {
          ...fine.metrics,
          stage1PeakTensorBytes: peak1.tensorBytes,
          stage1PeakRssBytes: peak1.rssBytes,
          stage2PeakTensorBytes: peak2.tensorBytes,
          stage2PeakRssBytes: peak2.rssBytes,
          stage1Passes: coarse.passes,
          maxSparsity: coarse.maxSparsity,
          groups: coarse.groups.length,
        },
        notes: [
          `stage 1: ${ctx.config.scores.kind} scores, ${coarse.passes} pass(es); ${ctx.config.allocation} allocation under maxSparsity ${coarse.maxSparsity}`,
          `group sparsities: ${coarse.groups.map((g, i) => `${g.name}=${coarse.sparsity[i].toFixed(4)}`).join(', ')}`,
          `stage 2: ${ctx.config.fine.kind}${ctx.config.sequential ? ', block by block on the pruned model' : ', one dense calibration pass'}`,
        ],
      };
    },
  });
}
