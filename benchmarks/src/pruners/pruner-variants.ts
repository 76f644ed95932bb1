import { type AnyPruner, definePruner } from '@vlp/core';
import { type PackageImporter, installedFactory } from './installed-factory.js';

/**
 * Pruners the benchmark compares under their own id although they are another pruner with other
 * config defaults: the papers' named baselines and the second estimator of a method. Each is made by
 * calling `factory(defaults)` of `packageName` (the same factories as {@link METHOD_PACKAGES}; config
 * defaults under the run's config) and renaming the result, so its resolved config, version and
 * paper are recorded like any pruner's. A variant whose package is not installed is skipped.
 */
export const PRUNER_VARIANTS: readonly {
  readonly id: string;
  readonly displayName: string;
  readonly packageName: string;
  readonly factory: string;
  readonly defaults: Readonly<Record<string, unknown>>;
}[] = [
  // One-shot global magnitude pruning ("OMP"): the baseline MULTIFLOW and ECoFLaP report against
  // (methods.md §6.1): one |w| threshold over every prunable weight of both towers.
  { id: 'omp', displayName: 'OMP (global magnitude)', packageName: '@vlp/baselines', factory: 'magnitude', defaults: { scope: 'global' } },
  // ECoFLaP with first-order (backprop) stage-1 scores (`ecoflap_first.py`, `GradMagAbs_sum`): the
  // variant whose stage-1 peak memory the zeroth-order default is compared with (issue #8).
  { id: 'ecoflap-first-order', displayName: 'ECoFLaP (first-order scores)', packageName: '@vlp/ecoflap', factory: 'ecoflap', defaults: { scores: { kind: 'first-order' } } },
];

/** `pruner` under another id and display name (everything else, config schema included, kept). */
export function renamedPruner(pruner: AnyPruner, id: string, displayName: string): AnyPruner {
  const { specificationVersion: _version, ...definition } = pruner;
  return definePruner({ ...definition, id, displayName }) as AnyPruner;
}

/** One instance of every {@link PRUNER_VARIANTS} entry whose package is installed, in list order. */
export async function installedPrunerVariants(importer: PackageImporter = (name) => import(name)): Promise<AnyPruner[]> {
  const pruners: AnyPruner[] = [];
  for (const { id, displayName, packageName, factory, defaults } of PRUNER_VARIANTS) {
    const make = await installedFactory(importer, packageName, factory, `PRUNER_VARIANTS in benchmarks/src/pruners/pruner-variants.ts (variant "${id}")`);
    if (make) pruners.push(renamedPruner(make(defaults) as AnyPruner, id, displayName));
  }
  return pruners;
}
