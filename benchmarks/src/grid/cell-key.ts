import type { Suite, TaskId } from '../suite/types.js';
import { RESULTS_SCHEMA_VERSION } from '../results/schema.js';
import type { CellSpec } from './cells.js';
import { hashValue } from './canonical-json.js';

/** Everything besides the cell spec that determines a cell's numbers. */
export interface CellKeyContext {
  readonly modelSha256: string;
  readonly tasks: readonly TaskId[];
  /** sha256 of each task's held-out set. */
  readonly evalHashes: Readonly<Partial<Record<TaskId, string>>>;
  readonly dataId: string;
  readonly suite: Pick<Suite, 'calibration' | 'evaluation' | 'recovery' | 'datasetSeed'> & Partial<Pick<Suite, 'train' | 'validation'>>;
  readonly pruner?: {
    readonly id: string;
    readonly version: string;
    readonly config: unknown;
    /** The pruner trains (`requires.training`) / evaluates (`requires.evaluator`) while pruning: the suite's `train` / `validation` data count. */
    readonly uses?: { readonly train: boolean; readonly validation: boolean };
  };
  /** Forward engine and tfjs backend. */
  readonly engine: string;
  readonly backend: string;
}

/**
 * The content hash of a cell (first 16 hex digits of a sha256): model file hashes, task sets,
 * pruner id + version + parsed config, target sparsity, seed, calibration, evaluation and recovery
 * settings, engine, backend and the results schema version. Equal keys mean equal inputs, so
 * `--resume` can skip a finished cell and shards can be merged.
 */
export function cellKey(cell: CellSpec, context: CellKeyContext): string {
  return hashValue({
    schema: RESULTS_SCHEMA_VERSION,
    cell: { model: cell.modelId, pruner: cell.prunerId, granularity: cell.granularity, sparsity: cell.sparsity, compression: cell.compression, seed: cell.seed },
    model: context.modelSha256,
    tasks: context.tasks,
    data: { id: context.dataId, eval: context.evalHashes, datasetSeed: context.suite.datasetSeed },
    calibration: cell.prunerId === 'dense' ? null : context.suite.calibration,
    evaluation: context.suite.evaluation,
    recovery: cell.prunerId === 'dense' ? null : context.suite.recovery,
    pruner: context.pruner ? { id: context.pruner.id, version: context.pruner.version, config: context.pruner.config } : null,
    // only for pruners that use them, so other cells keep their keys when these settings change
    ...(context.pruner?.uses?.train ? { train: context.suite.train ?? null } : {}),
    ...(context.pruner?.uses?.validation ? { validation: context.suite.validation ?? null } : {}),
    engine: context.engine,
    backend: context.backend,
  }).slice(0, 16);
}
