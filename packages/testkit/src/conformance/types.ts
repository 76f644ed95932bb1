import type { CalibrationSource, PrunableView, TaskAdapter } from '@vlp/core';

/** The one assertion the suite uses: `expect(problems).toEqual([])` (a runner's diff then lists them). */
export interface ConformanceAssertion {
  toEqual(expected: unknown): void;
}

/** `expect` of any runner (vitest, jest, node:test + a shim). */
export type ConformanceExpect = (actual: unknown) => ConformanceAssertion;

/** One async test body. */
export type ConformanceTest = () => Promise<void>;

/** `it`/`test` of any runner; `skip` is used for capability-gated cases when present. */
export interface ConformanceIt {
  (name: string, fn: ConformanceTest): void;
  skip?: (name: string, fn: ConformanceTest) => void;
}

/** The runner functions the suite registers its cases with. */
export interface ConformanceHarness {
  describe(name: string, fn: () => void): void;
  it: ConformanceIt;
  expect: ConformanceExpect;
}

/** An invalid config and, optionally, the path of the issue it must produce. */
export interface InvalidConfigCase {
  readonly config: unknown;
  /** Expected issue path (`['allocation']`); `PathSegment` objects are unwrapped before comparing. */
  readonly path?: readonly PropertyKey[];
}

/** What to run the suite with. Every field is optional. */
export interface ConformanceOptions<Batch = unknown> {
  /** Config inputs that must be accepted; the first is used by the other cases. Default `[{}]`. */
  readonly validConfigs?: readonly unknown[];
  /** Config inputs that must be rejected with `VLP_INVALID_CONFIG`. Default none (the case is skipped). */
  readonly invalidConfigs?: readonly InvalidConfigCase[];
  /** A fresh view per case. Default `createSyntheticView()`. */
  readonly createView?: () => PrunableView<Batch>;
  /** Releases a view after a case. Default: calls `view.dispose()` when it exists. */
  readonly disposeView?: (view: PrunableView<Batch>) => void;
  /** Calibration batches. Default (with the default view): `syntheticCalibration(2, 0)`. */
  readonly calibration?: CalibrationSource<Batch>;
  /** Task adapter. Default (with the default view): `syntheticTask()`. */
  readonly task?: TaskAdapter<Batch>;
  /** Sparsities of the sparsity cases. Default `[0.5, 0.75]` (n:m pruners: pass `1 − n/m`). */
  readonly sparsities?: readonly number[];
  /** Tolerance passed to `prune()` in the sparsity cases. Default: the pruner's. */
  readonly tolerance?: number;
  /** Seed of every request. Default 0. */
  readonly seed?: number;
  /** The pattern an `n:m` pruner must produce: at most `n` kept in every `m` consecutive inputs. */
  readonly nm?: { readonly n: number; readonly m: number };
}
