import { InvalidArgumentError } from '@vlp/core';

/** Loads a package by name (the caller's `import`, so packages resolve from the caller's dependencies). */
export type PackageImporter = (name: string) => Promise<Record<string, unknown>>;

/** True when `error` says that exactly `packageName` is not installed (not: it failed to load). */
function isMissing(error: unknown, packageName: string): boolean {
  const e = error as { code?: string; message?: string };
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && typeof e.message === 'string' && e.message.includes(`'${packageName}'`);
}

/**
 * The function `factory` exported by `packageName`, or `undefined` when the package is not
 * installed. A package that is installed but fails to load is an error (never hidden), and so is one
 * without that export: the message says so and names `fixWhere`, the list to correct.
 */
export async function installedFactory(importer: PackageImporter, packageName: string, factory: string, fixWhere: string): Promise<((...args: unknown[]) => unknown) | undefined> {
  let mod: Record<string, unknown>;
  try {
    mod = await importer(packageName);
  } catch (error) {
    if (isMissing(error, packageName)) return undefined;
    throw error;
  }
  const make = mod[factory];
  if (typeof make !== 'function') {
    throw new InvalidArgumentError({ message: `${packageName} is installed but exports no factory "${factory}()"; fix ${fixWhere}.` });
  }
  return make as (...args: unknown[]) => unknown;
}
