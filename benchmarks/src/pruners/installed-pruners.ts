import { type AnyPruner, type PrunerRegistry, createPrunerRegistry } from '@vlp/core';
import { baselinePruners } from '@vlp/baselines';
import { type PackageImporter, installedFactory } from './installed-factory.js';
import { METHOD_PACKAGES } from './method-packages.js';
import { installedPrunerVariants } from './pruner-variants.js';

/**
 * The method pruners of {@link METHOD_PACKAGES} that are installed, one default instance each. A
 * package that is installed but fails to load, or lacks its factory, is an error (never hidden).
 */
export async function installedMethodPruners(importer: PackageImporter = (name) => import(name)): Promise<AnyPruner[]> {
  const pruners: AnyPruner[] = [];
  for (const { packageName, factory } of METHOD_PACKAGES) {
    const make = await installedFactory(importer, packageName, factory, 'METHOD_PACKAGES in benchmarks/src/pruners/method-packages.ts');
    if (make) pruners.push(make() as AnyPruner);
  }
  return pruners;
}

/**
 * The registry of the default suite: the baselines, every installed method package, then the
 * pruner variants (`omp`, `ecoflap-first-order`: other defaults under their own id, see
 * `pruner-variants.ts`).
 */
export async function installedPrunerRegistry(): Promise<PrunerRegistry> {
  return createPrunerRegistry([...baselinePruners(), ...(await installedMethodPruners()), ...(await installedPrunerVariants())]);
}
