import {
  VlpError,
  prune,
  type AnyPruner,
  type CalibrationSource,
  type PrunableView,
  type PruneOptions,
  type PruneReport,
  type PruneRequest,
  type TaskAdapter,
} from '@vlp/core';
import { syntheticCalibration } from '../synthetic/batch.js';
import { syntheticTask } from '../synthetic/task.js';
import { createSyntheticView } from '../synthetic/view.js';
import type { ConformanceHarness, ConformanceOptions, InvalidConfigCase } from './types.js';

/** Options with defaults filled. */
export interface ResolvedOptions {
  readonly validConfigs: readonly unknown[];
  readonly invalidConfigs: readonly InvalidConfigCase[];
  readonly createView: () => PrunableView<unknown>;
  readonly disposeView: (view: PrunableView<unknown>) => void;
  readonly calibration?: CalibrationSource<unknown>;
  readonly task?: TaskAdapter<unknown>;
  readonly sparsities: readonly number[];
  readonly tolerance?: number;
  readonly seed: number;
  readonly nm?: { readonly n: number; readonly m: number };
}

/** Fills the defaults: the synthetic view, calibration and task unless a view factory is given. */
export function resolveOptions(o: ConformanceOptions<unknown> = {}): ResolvedOptions {
  const synthetic = o.createView === undefined;
  return {
    validConfigs: o.validConfigs?.length ? o.validConfigs : [{}],
    invalidConfigs: o.invalidConfigs ?? [],
    createView: o.createView ?? (() => createSyntheticView()),
    disposeView: o.disposeView ?? ((view) => (view as { dispose?: () => void }).dispose?.()),
    calibration: o.calibration ?? (synthetic ? (syntheticCalibration(2, 0) as CalibrationSource<unknown>) : undefined),
    task: o.task ?? (synthetic ? (syntheticTask() as TaskAdapter<unknown>) : undefined),
    sparsities: o.sparsities?.length ? o.sparsities : [0.5, 0.75],
    tolerance: o.tolerance,
    seed: o.seed ?? 0,
    nm: o.nm,
  };
}

/** What every case file gets. */
export interface CaseContext {
  readonly pruner: AnyPruner;
  readonly options: ResolvedOptions;
  /** Registers a case. */
  test(name: string, fn: () => Promise<void>): void;
  /** Registers a case skipped for `reason` (shown in its name). */
  skip(name: string, reason: string): void;
  /** Passes iff `problems` is empty; the runner shows them otherwise. */
  expectNoProblems(problems: readonly string[]): void;
  /** Runs `fn` on a fresh view and disposes the view afterwards. */
  withView<T>(fn: (view: PrunableView<unknown>) => Promise<T>): Promise<T>;
  /**
   * `prune()` with the suite's defaults: first valid config, calibration, task, `sparsities[0]`,
   * `seed`, `apply: false` and `tolerance: 1` (only the sparsity cases check the sparsity).
   */
  run(view: PrunableView<unknown>, request?: Partial<PruneRequest>, options?: PruneOptions): Promise<PruneReport>;
}

/** Binds the harness, the pruner and the resolved options into the {@link CaseContext} of every case file. */
export function createCaseContext(harness: ConformanceHarness, pruner: AnyPruner, options: ResolvedOptions): CaseContext {
  return {
    pruner,
    options,
    test: (name, fn) => harness.it(name, fn),
    skip(name, reason) {
      const label = `${name} (skipped: ${reason})`;
      if (harness.it.skip) harness.it.skip(label, async () => {});
      else harness.it(label, async () => {});
    },
    expectNoProblems: (problems) => harness.expect([...problems]).toEqual([]),
    async withView(fn) {
      const view = options.createView();
      try {
        return await fn(view);
      } finally {
        options.disposeView(view);
      }
    },
    run: (view, request = {}, pruneOptions = {}) =>
      prune(
        pruner,
        view,
        { sparsity: options.sparsities[0], seed: options.seed, ...request },
        { config: options.validConfigs[0], calibration: options.calibration, task: options.task, apply: false, tolerance: 1, ...pruneOptions },
      ),
  };
}

/** The rejection of `promise`, or `undefined` when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error ?? new Error('rejected with no reason'),
  );
}

/** `VLP_X: message` for vlp errors, `Name: message` for others. */
export function describeError(error: unknown): string {
  if (VlpError.isInstance(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
