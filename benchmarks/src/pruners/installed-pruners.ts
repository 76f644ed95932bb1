import { type AnyPruner, InvalidArgumentError, type PrunerRegistry, createPrunerRegistry } from '@vlp/core';
import { baselinePruners } from '@vlp/baselines';
import { METHOD_PACKAGES } from './method-packages.js';
import { installedPrunerVariants } from './pruner-variants.js';

/** True when `error` says that exactly `packageName` is not installed (not: it failed to load). */
function isMissing(error: unknown, packageName: string): boolean {
  const e = error as { code?: string; message?: string };
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && typeof e.message === 'string' && e.message.includes(`'${packageName}'`);
}

/**
 * The method pruners of {@link METHOD_PACKAGES} that are installed, one default instance each. A
 * package that is installed but fails to load, or lacks its factory, is an error (never hidden).
 */
export async function installedMethodPruners(importer: (name: string) => Promise<Record<string, unknown>> = (name) => import(name)): Promise<AnyPruner[]> {
  const pruners: AnyPruner[] = [];
  for (const { packageName, factory } of METHOD_PACKAGES) {
    let mod: Record<string, unknown>;
    try {
      mod = await importer(packageName);
    } catch (error) {
      if (isMissing(error, packageName)) continue;
      throw error;
    }
    const make = mod[factory];
    if (typeof make !== 'function') {
      throw new InvalidArgumentError({ message: `${packageName} is installed but exports no factory "${factory}()"; fix METHOD_PACKAGES in benchmarks/src/pruners/method-packages.ts.` });
    }
    pruners.push(make() as AnyPruner);
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
