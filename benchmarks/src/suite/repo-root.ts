import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The monorepo root: the nearest directory above this module holding `pnpm-workspace.yaml` (the
 * module runs from `src/` under vitest and from `dist/` when built, so no fixed depth works).
 */
export function repoRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return (cached = process.cwd());
    dir = parent;
  }
  return (cached = dir);
}

/** `../shared/fixtures/hf` beside the repository checkout (as on CI). */
export function hfFixturesDir(): string {
  return path.resolve(repoRoot(), '../shared/fixtures/hf');
}
