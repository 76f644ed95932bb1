import type { Pruner } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { runPrunerConformance } from './conformance/run-conformance.js';
import type { ConformanceOptions } from './conformance/types.js';

export type { ConformanceOptions, InvalidConfigCase } from './conformance/types.js';

/**
 * The conformance suite bound to vitest's `describe`/`it`/`expect` (vitest is an optional peer
 * dependency of `@vlp/testkit`; this entry point is the only one that imports it).
 *
 * @example
 * // my-pruner.test.ts
 * import { describePrunerConformance } from '@vlp/testkit/vitest';
 * describePrunerConformance(myPruner(), { invalidConfigs: [{ config: { alpha: -1 }, path: ['alpha'] }] });
 */
export function describePrunerConformance<Batch>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  pruner: Pruner<any, any, Batch>,
  options: ConformanceOptions<Batch> = {},
): void {
  runPrunerConformance({ describe, it, expect }, pruner, options);
}
