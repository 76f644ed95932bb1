import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { repoRoot } from '../suite/repo-root.js';
import { VERSION } from '../version.js';

/** The machine and software a run used (for run.json). */
export interface RunEnvironment {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpu: { readonly model: string; readonly count: number };
  readonly memoryBytes: number;
  readonly git: { readonly sha: string; readonly dirty: boolean } | null;
  /** Version of every `@vlp/*` package the run loaded (and onnxruntime-node, tfjs). */
  readonly versions: Readonly<Record<string, string>>;
}

const PACKAGES = ['@vlp/core', '@vlp/models', '@vlp/data', '@vlp/tasks', '@vlp/baselines', '@vlp/zoo', '@tensorflow/tfjs', 'onnxruntime-node'];

function git(args: string[]): string | undefined {
  try {
    // GIT_OPTIONAL_LOCKS=0: read-only, never refreshes the index.
    return execFileSync('git', args, { cwd: repoRoot(), env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return undefined;
  }
}

/**
 * The version in a package's package.json (undefined when not installed), resolved from this
 * package, else from `@vlp/models` (which owns onnxruntime-node).
 */
export function packageVersion(name: string): string | undefined {
  const here = createRequire(import.meta.url);
  const resolvers = [here];
  try {
    resolvers.push(createRequire(here.resolve('@vlp/models/package.json')));
  } catch {
    // @vlp/models not resolvable: only this package's dependencies are looked up
  }
  for (const require of resolvers) {
    try {
      return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    } catch {
      // not resolvable from here
    }
  }
  return undefined;
}

/** Reads the environment: Node, CPU, memory, git sha and dirty flag, package versions. */
export function runEnvironment(extraPackages: readonly string[] = []): RunEnvironment {
  const versions: Record<string, string> = { '@vlp/bench': VERSION };
  for (const name of [...PACKAGES, ...extraPackages]) {
    const v = packageVersion(name);
    if (v) versions[name] = v;
  }
  const sha = git(['rev-parse', 'HEAD']);
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', count: cpus.length },
    memoryBytes: os.totalmem(),
    git: sha ? { sha, dirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '' } : null,
    versions,
  };
}
