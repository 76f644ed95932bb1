/**
 * Test-only: a runner-agnostic harness that records the suite's cases and runs them itself,
 * with a tiny `expect` built on node:util (no vitest involved), to prove which cases fail.
 */
import { isDeepStrictEqual, inspect } from 'node:util';
import type { Pruner } from '@vlp/core';
import { runPrunerConformance } from '../conformance/run-conformance.js';
import type { ConformanceHarness, ConformanceOptions, ConformanceTest } from '../conformance/types.js';

/** The outcome of one case. */
export interface CaseOutcome {
  /** `group > case name` (the top-level `<id> conformance` block left out). */
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly error?: unknown;
}

/** Registers the suite for `pruner` on the fake harness and runs every case, in order. */
export async function runWithFakeHarness<Batch>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  pruner: Pruner<any, any, Batch>,
  options: ConformanceOptions<Batch> = {},
): Promise<CaseOutcome[]> {
  const stack: string[] = [];
  const cases: { name: string; fn: ConformanceTest; skip: boolean }[] = [];
  const record = (skip: boolean) => (name: string, fn: ConformanceTest) => void cases.push({ name: [...stack.slice(1), name].join(' > '), fn, skip });
  const harness: ConformanceHarness = {
    describe(name, fn) {
      stack.push(name);
      try {
        fn();
      } finally {
        stack.pop();
      }
    },
    it: Object.assign(record(false), { skip: record(true) }),
    expect: (actual) => ({
      toEqual(expected) {
        if (!isDeepStrictEqual(actual, expected)) throw new Error(`expected ${inspect(expected)}, got ${inspect(actual)}`);
      },
    }),
  };
  runPrunerConformance(harness, pruner, options);
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    if (c.skip) {
      outcomes.push({ name: c.name, status: 'skip' });
      continue;
    }
    try {
      await c.fn();
      outcomes.push({ name: c.name, status: 'pass' });
    } catch (error) {
      outcomes.push({ name: c.name, status: 'fail', error });
    }
  }
  return outcomes;
}

/** Names of the failed cases. */
export const failedCases = (outcomes: readonly CaseOutcome[]) => outcomes.filter((o) => o.status === 'fail').map((o) => o.name);
