import type { AnyPruner } from '@vlp/core';
import type { Suite, SuiteInput } from '@vlp/bench';

/**
 * What `vlp.config.ts` (in the working directory) exports by default: extra pruners (third-party
 * `vlp-pruner-*` packages or your own) and benchmark suites. Registration is explicit: nothing is
 * discovered by scanning `node_modules`.
 */
export interface VlpConfig {
  /** Pruner objects (factory results, e.g. `rowMagnitude()`), added next to the built-in ones. */
  readonly pruners?: readonly AnyPruner[];
  /**
   * Benchmark suites (plain objects in the shape of `defineSuite`'s input, or its result), runnable
   * with `vlp bench run --suite <id>`; validated by `defineSuite` when loaded.
   */
  readonly suites?: readonly (Suite | SuiteInput)[];
}

/**
 * Types a `vlp.config.ts` (identity at run time).
 *
 * @example
 * // vlp.config.ts
 * import { defineConfig } from '@vlp/cli';
 * import { rowMagnitude } from 'vlp-pruner-row-magnitude';
 * export default defineConfig({ pruners: [rowMagnitude()] });
 */
export function defineConfig(config: VlpConfig): VlpConfig {
  return config;
}
