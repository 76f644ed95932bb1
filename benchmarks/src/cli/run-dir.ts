import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors/bench-errors.js';
import { repoRoot } from '../suite/repo-root.js';

/** Where default run directories go: `<repo>/bench-results/<suite>/`. */
export function suiteResultsDir(suite: string): string {
  return path.join(repoRoot(), 'bench-results', suite);
}

/** A sortable timestamp for a run directory name: `2026-11-21T22-50-49Z`. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
}

/**
 * The run directory: `--out` (relative to the directory pnpm was started in), else a new
 * `bench-results/<suite>/<timestamp>`; with `--resume` and no `--out`, the latest run of the suite.
 */
export function resolveRunDir(args: { out?: string; resume: boolean; suite: string }, cwd: string): string {
  if (args.out) return path.resolve(cwd, args.out);
  const base = suiteResultsDir(args.suite);
  if (!args.resume) return path.join(base, timestamp());
  const runs = existsSync(base) ? readdirSync(base).filter((d) => existsSync(path.join(base, d, 'run.json'))).sort() : [];
  const latest = runs[runs.length - 1];
  if (!latest) throw usageError(`--resume: no earlier run of suite "${args.suite}" in ${base}; pass --out <run-dir>.`);
  return path.join(base, latest);
}
