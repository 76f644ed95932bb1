import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Emit } from '../contract/events.js';
import type { CalibrationSource, TaskAdapter } from '../contract/pruner.js';
import { invalidConfig } from './validate.js';

/** Options of {@link prune}. */
export interface PruneOptions<ConfigInput = unknown, Batch = unknown> {
  /** The config INPUT; parsed once with the pruner's `configSchema`. Omitted → `{}` (all defaults). */
  readonly config?: ConfigInput;
  /** Calibration batches (required when `capabilities.requires.calibration`). */
  readonly calibration?: CalibrationSource<Batch>;
  /** Loss and evaluator (required for gradients, training or evaluator pruners). */
  readonly task?: TaskAdapter<Batch>;
  /** Cancels the run: `prune()` rejects with `VLP_ABORTED`. */
  readonly signal?: AbortSignal;
  /** Receives every progress event, `prune-start` first and `prune-end` last. */
  readonly onEvent?: Emit;
  /** Backend name to report to the pruner (default: `tf.getBackend()`). */
  readonly backend?: string;
  /** Apply the masks (and updated weights) to the view. Default `true`. */
  readonly apply?: boolean;
  /**
   * Largest accepted |realised − requested| sparsity. Default: `capabilities.sparsityTolerance`,
   * else 0.01 (unstructured, n:m) or 0.05 (structured).
   */
  readonly tolerance?: number;
}

const isAbortSignal = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as AbortSignal).aborted === 'boolean' && typeof (v as AbortSignal).addEventListener === 'function';

/**
 * Checks the shape of {@link PruneOptions} (not the config, which the pruner's schema parses).
 * Throws `VLP_INVALID_CONFIG` with issue paths such as `['tolerance']`.
 */
export function validateOptions(options: unknown): PruneOptions<unknown, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw invalidConfig('prune options', [{ message: 'must be an object', path: [] }]);
  }
  const o = options as Record<string, unknown>;
  const issues: StandardSchemaV1.Issue[] = [];
  if (o.tolerance !== undefined && !(typeof o.tolerance === 'number' && o.tolerance >= 0 && o.tolerance <= 1)) {
    issues.push({ message: `must be a number in [0, 1] (got ${String(o.tolerance)})`, path: ['tolerance'] });
  }
  if (o.apply !== undefined && typeof o.apply !== 'boolean') issues.push({ message: 'must be a boolean', path: ['apply'] });
  if (o.backend !== undefined && (typeof o.backend !== 'string' || o.backend === '')) {
    issues.push({ message: 'must be a non-empty string', path: ['backend'] });
  }
  if (o.onEvent !== undefined && typeof o.onEvent !== 'function') issues.push({ message: 'must be a function', path: ['onEvent'] });
  if (o.signal !== undefined && !isAbortSignal(o.signal)) issues.push({ message: 'must be an AbortSignal', path: ['signal'] });
  if (o.calibration !== undefined && typeof (o.calibration as CalibrationSource)?.batches !== 'function') {
    issues.push({ message: 'must be a CalibrationSource ({ batches(): AsyncIterable<Batch> })', path: ['calibration'] });
  }
  if (o.task !== undefined && (typeof o.task !== 'object' || o.task === null)) {
    issues.push({ message: 'must be a TaskAdapter ({ id, loss?, evaluate? })', path: ['task'] });
  }
  if (issues.length > 0) throw invalidConfig('prune options', issues);
  return o as PruneOptions<unknown, unknown>;
}
