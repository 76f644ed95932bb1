import { type AnyPruner, InvalidArgumentError, definePruner } from '@vlp/core';

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

function isMissing(error: unknown, packageName: string): boolean {
  const e = error as { code?: string; message?: string };
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && typeof e.message === 'string' && e.message.includes(`'${packageName}'`);
}

/** One instance of every {@link PRUNER_VARIANTS} entry whose package is installed, in list order. */
export async function installedPrunerVariants(importer: (name: string) => Promise<Record<string, unknown>> = (name) => import(name)): Promise<AnyPruner[]> {
  const pruners: AnyPruner[] = [];
  for (const { id, displayName, packageName, factory, defaults } of PRUNER_VARIANTS) {
    let mod: Record<string, unknown>;
    try {
      mod = await importer(packageName);
    } catch (error) {
      if (isMissing(error, packageName)) continue;
      throw error;
    }
    const make = mod[factory];
    if (typeof make !== 'function') {
      throw new InvalidArgumentError({ message: `${packageName} is installed but exports no factory "${factory}()" for the pruner variant "${id}"; fix PRUNER_VARIANTS in benchmarks/src/pruners/pruner-variants.ts.` });
    }
    pruners.push(renamedPruner(make(defaults) as AnyPruner, id, displayName));
  }
  return pruners;
}
