import { InvalidArgumentError, SPECIFICATION_VERSION, type Pruner } from '@vlp/core';
import { abortCases } from '../cases/abort.js';
import { capabilityCases } from '../cases/capabilities.js';
import { determinismCases } from '../cases/determinism.js';
import { eventCases } from '../cases/events.js';
import { inputsUntouchedCases } from '../cases/inputs-untouched.js';
import { memoryCases } from '../cases/memory.js';
import { sparsityCases } from '../cases/sparsity.js';
import { validationCases } from '../cases/validation.js';
import { type CaseContext, createCaseContext, resolveOptions } from './context.js';
import type { ConformanceHarness, ConformanceOptions } from './types.js';

/** The case groups, in the order they are registered (each is a `describe` block). */
export const CASE_GROUPS: readonly (readonly [string, (c: CaseContext) => void])[] = [
  ['validation', validationCases],
  ['sparsity', sparsityCases],
  ['determinism', determinismCases],
  ['inputs-untouched', inputsUntouchedCases],
  ['abort', abortCases],
  ['events', eventCases],
  ['memory', memoryCases],
  ['capabilities', capabilityCases],
];

function checkHarness(harness: ConformanceHarness): void {
  for (const name of ['describe', 'it', 'expect'] as const) {
    if (typeof harness?.[name] !== 'function') {
      throw new InvalidArgumentError({
        message: `runPrunerConformance: missing definition for \`${name}\`; pass your runner's { describe, it, expect } (or use describePrunerConformance from @vlp/testkit/vitest).`,
      });
    }
  }
}

/**
 * Registers the conformance suite of `pruner` with any test runner: one `describe` per case group
 * (validation, sparsity, determinism, inputs-untouched, abort, events, memory, capabilities) and one
 * `it` per case. Cases that do not apply to the pruner's capabilities are skipped with the reason in
 * their name. Runs on `createSyntheticView()` with synthetic calibration and task unless
 * `options.createView` is given.
 *
 * @example
 * import { describe, it, expect } from 'vitest';
 * runPrunerConformance({ describe, it, expect }, myPruner(), { invalidConfigs: [{ config: { alpha: -1 }, path: ['alpha'] }] });
 */
export function runPrunerConformance<Batch>(
  harness: ConformanceHarness,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  pruner: Pruner<any, any, Batch>,
  options: ConformanceOptions<Batch> = {},
): void {
  checkHarness(harness);
  if (pruner?.specificationVersion !== SPECIFICATION_VERSION) {
    throw new InvalidArgumentError({
      message: `runPrunerConformance: expected a ${SPECIFICATION_VERSION} pruner made with definePruner() (pass the factory's result, e.g. magnitude()).`,
    });
  }
  const context = createCaseContext(harness, pruner, resolveOptions(options as ConformanceOptions<unknown>));
  harness.describe(`${pruner.id} conformance`, () => {
    for (const [group, register] of CASE_GROUPS) harness.describe(group, () => register(context));
  });
}
