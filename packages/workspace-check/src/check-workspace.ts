import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { checkDependencies } from './check-dependencies.js';
import { type Problem, checkPackageLayout } from './check-package.js';

/** The package directories of the workspace: `packages/*` and `benchmarks`. */
export function workspacePackageDirs(root: string): string[] {
  const dirs: string[] = [];
  const packages = path.join(root, 'packages');
  if (existsSync(packages)) {
    for (const entry of readdirSync(packages).sort()) {
      if (existsSync(path.join(packages, entry, 'package.json'))) dirs.push(path.join(packages, entry));
    }
  }
  if (existsSync(path.join(root, 'benchmarks', 'package.json'))) dirs.push(path.join(root, 'benchmarks'));
  return dirs;
}

/** Every layout and dependency-direction problem of the workspace at `root` (empty when clean). */
export function checkWorkspace(root: string): Problem[] {
  return workspacePackageDirs(root).flatMap((dir) => [...checkPackageLayout(dir), ...checkDependencies(dir)]);
}
