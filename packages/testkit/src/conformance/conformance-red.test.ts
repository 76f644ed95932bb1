import { describe, expect, it } from 'vitest';
import { type Defect, brokenPruner } from '../__tests__/broken-pruners.js';
import { failedCases, runWithFakeHarness } from '../__tests__/fake-harness.js';

const invalidConfigs = [{ config: { allocation: 'everywhere' }, path: ['allocation'] }];

/** For each defect, exactly these cases (group > name prefix) fail. */
const EXPECTED: Record<Defect, readonly string[]> = {
  'ignores-seed': ['determinism > returns byte-identical masks'],
  'mutates-weights': ['inputs-untouched > leaves every unit weight unchanged'],
  'leaks-tensor': ['memory > does not leak tensors'],
  'ignores-abort': ['abort > stops with VLP_ABORTED when aborted mid-run'],
  'events-out-of-order': ['events > emits prune-start first'],
  'wrong-sparsity': ['sparsity > realises sparsity 0.5', 'sparsity > realises sparsity 0.75'],
  'off-target-units': ['sparsity > realises sparsity 0.5', 'sparsity > realises sparsity 0.75'],
  'accepts-invalid-config': ['validation > rejects invalid config #1'],
  'undeclared-calibration': ['capabilities > runs without calibration data'],
  'undeclared-task': ['capabilities > runs without a task'],
  'not-n-m': ['sparsity > produces the 2:4 pattern'],
};

function expectExactly(failed: readonly string[], expected: readonly string[]): void {
  expect(failed).toHaveLength(expected.length);
  expected.forEach((prefix, i) => expect(failed[i].startsWith(prefix), `${failed[i]} should start with ${prefix}`).toBe(true));
}

describe('runPrunerConformance on broken pruners', () => {
  it('passes every case for the defect-free base pruner', async () => {
    const outcomes = await runWithFakeHarness(brokenPruner(), { invalidConfigs });
    expect(failedCases(outcomes)).toEqual([]);
    expect(outcomes.filter((o) => o.status === 'pass').length).toBeGreaterThanOrEqual(11);
  });

  it.each(Object.entries(EXPECTED) as [Defect, readonly string[]][])('fails exactly the expected case for a pruner that %s', async (defect, expected) => {
    const options = defect === 'not-n-m' ? { invalidConfigs, sparsities: [0.5], nm: { n: 2, m: 4 } } : { invalidConfigs };
    expectExactly(failedCases(await runWithFakeHarness(brokenPruner(defect), options)), expected);
  });

  it('explains the failure in the runner output', async () => {
    const outcomes = await runWithFakeHarness(brokenPruner('leaks-tensor'), { invalidConfigs });
    const failure = outcomes.find((o) => o.status === 'fail')!;
    expect(String((failure.error as Error).message)).toMatch(/apply: false: 24 tensor\(s\) more after prune\(\)/);
    const seedless = await runWithFakeHarness(brokenPruner('ignores-seed'), { invalidConfigs });
    expect(String((seedless.find((o) => o.status === 'fail')!.error as Error).message)).toMatch(/never Math\.random/);
  });

  it('skips the N:M case for unstructured pruners and the invalid-config case without invalid configs', async () => {
    const outcomes = await runWithFakeHarness(brokenPruner());
    expect(outcomes.filter((o) => o.status === 'skip').map((o) => o.name)).toEqual([
      'validation > rejects invalid configs with VLP_INVALID_CONFIG (skipped: no invalidConfigs given)',
      'sparsity > produces the N:M pattern (skipped: granularity is unstructured)',
    ]);
  });

  it('rejects a harness without describe/it/expect and a factory instead of a pruner', async () => {
    const { runPrunerConformance } = await import('./run-conformance.js');
    expect(() => runPrunerConformance({ describe: () => {}, it: () => {} } as never, brokenPruner())).toThrow(/missing definition for `expect`/);
    const harness = { describe: () => {}, it: () => {}, expect: () => ({ toEqual: () => {} }) };
    expect(() => runPrunerConformance(harness, brokenPruner as never)).toThrow(/made with definePruner/);
  });
});
