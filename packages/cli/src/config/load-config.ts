import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidConfigError } from '@vlp/core';
import { createJiti } from 'jiti';
import type { VlpConfig } from './define-config.js';

/** File names looked up in the working directory, in this order. */
export const CONFIG_FILES = ['vlp.config.ts', 'vlp.config.mts', 'vlp.config.js', 'vlp.config.mjs'] as const;

/** A loaded `vlp.config.*` and where it came from (`file` is undefined when there is none). */
export interface LoadedConfig {
  readonly file?: string;
  readonly config: VlpConfig;
}

function invalid(file: string, problem: string): InvalidConfigError {
  return new InvalidConfigError({
    message: `${file}: ${problem}. Fix the file (it must \`export default defineConfig({ pruners: [...], suites: [...] })\`) or run vlp from another directory.`,
    path: file,
  });
}

function check(file: string, value: unknown): VlpConfig {
  if (typeof value !== 'object' || value === null) throw invalid(file, 'the default export is not an object');
  const { pruners, suites, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw invalid(file, `unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: pruners, suites)`);
  if (pruners !== undefined && !Array.isArray(pruners)) throw invalid(file, '"pruners" must be an array of pruner objects (call the factory: rowMagnitude(), not rowMagnitude)');
  if (suites !== undefined && !Array.isArray(suites)) throw invalid(file, '"suites" must be an array of suites made with defineSuite()');
  for (const [i, p] of ((pruners as unknown[]) ?? []).entries()) {
    if (typeof p === 'function') throw invalid(file, `pruners[${i}] is a function; call the factory (e.g. rowMagnitude()) to get the pruner object`);
  }
  for (const [i, s] of ((suites as unknown[]) ?? []).entries()) {
    if (typeof s !== 'object' || s === null || typeof (s as { id?: unknown }).id !== 'string') throw invalid(file, `suites[${i}] is not a suite; make it with defineSuite() from @vlp/bench`);
  }
  return value as VlpConfig;
}

/**
 * Loads `vlp.config.ts` (or `.mts`, `.js`, `.mjs`) from `cwd` with jiti, which transpiles TypeScript
 * on the fly (no build step; works on Node 20). No file → an empty config. A file that fails to load
 * or exports something else than `{ pruners?, suites? }` → `VLP_INVALID_CONFIG` naming the file.
 */
export async function loadVlpConfig(cwd: string): Promise<LoadedConfig> {
  const name = CONFIG_FILES.find((f) => existsSync(path.join(cwd, f)));
  if (!name) return { config: {} };
  const file = path.join(cwd, name);
  const jiti = createJiti(file, { interopDefault: true, moduleCache: false, fsCache: false });
  let loaded: unknown;
  try {
    loaded = await jiti.import(file, { default: true });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new InvalidConfigError({ message: `${file} could not be loaded: ${reason}. Fix the file or run vlp from another directory.`, path: file, cause });
  }
  return { file, config: check(file, loaded) };
}
