import type { AnyPruner } from '@vlp/core';
import { usageError } from '../errors/bench-errors.js';
import { modelGrid, modelPrunerIds } from '../suite/model-grid.js';
import type { Suite, SuiteModel, TaskId } from '../suite/types.js';
import { cellKey } from './cell-key.js';
import { type CellSpec, expandGrid } from './cells.js';

/** What {@link planCells} needs to know about one model of a run. */
export interface PlanCellsModel {
  readonly suiteModel: SuiteModel;
  /** The view's architecture id (`clip`, `blip-itm`, ...). */
  readonly architecture: string;
  /** sha256 over the checkpoint's files. */
  readonly sha256: string;
  /** sha256 of each task's held-out set (built with the model's own `evaluation.count`). */
  readonly evalHashes: Readonly<Partial<Record<TaskId, string>>>;
}

/** A grid cell and its content key. */
export interface KeyedCell {
  readonly cell: CellSpec;
  readonly key: string;
}

/** The sparsity an N:M pruner's parsed config binds it to (1 − n/m), if any. */
function nmSparsityOf(config: unknown): number | undefined {
  const g = (config as { granularity?: { kind?: string; n?: number; m?: number } } | undefined)?.granularity;
  return g?.kind === 'n:m' && typeof g.n === 'number' && typeof g.m === 'number' ? 1 - g.n / g.m : undefined;
}

/**
 * The grid of a run, keyed: every model with its own grid (the suite's settings, each replaced by
 * the model's override when it gives one), expanded by {@link expandGrid}, and each cell's
 * {@link cellKey} computed from the settings that model runs with. A model without overrides gets
 * exactly the cells and keys it had before per-model grids existed. A model's pruner list naming
 * a pruner that is not among the run's pruners (with `pruners: 'installed'`: not installed) is a
 * `BenchUsageError`.
 */
export function planCells(args: {
  readonly suite: Suite;
  readonly models: readonly PlanCellsModel[];
  /** The suite's pruners in order, with their parsed configs. */
  readonly pruners: ReadonlyMap<string, { readonly pruner: AnyPruner; readonly config: unknown }>;
  readonly dataId: string;
  readonly engine: string;
  readonly backend: string;
}): { cells: KeyedCell[]; skipped: { modelId: string; prunerId: string; reason: string }[] } {
  const { suite } = args;
  const prunerIds = [...args.pruners.keys()];
  const grids = new Map(args.models.map((m) => [m.suiteModel.id, modelGrid(suite, m.suiteModel)]));
  for (const m of args.models) {
    const p = m.suiteModel.pruners;
    if (!Array.isArray(p)) continue;
    const unknown = (p as readonly string[]).filter((id) => !args.pruners.has(id));
    if (unknown.length > 0) {
      throw usageError(`Model "${m.suiteModel.id}" of suite "${suite.id}" lists pruner${unknown.length > 1 ? 's' : ''} ${unknown.map((id) => `"${id}"`).join(', ')}, not among the run's pruners (${prunerIds.join(', ')}).`);
    }
  }
  const { cells, skipped } = expandGrid({
    models: args.models.map((m) => {
      const own = m.suiteModel;
      return {
        id: own.id,
        architecture: m.architecture,
        ...(own.pruners === undefined ? {} : { pruners: modelPrunerIds(own.pruners, prunerIds) }),
        ...(own.sparsities === undefined ? {} : { sparsities: own.sparsities }),
        ...(own.prunerSparsities === undefined ? {} : { prunerSparsities: own.prunerSparsities }),
        ...(own.compressions === undefined ? {} : { compressions: own.compressions }),
      };
    }),
    pruners: [...args.pruners.values()].map((p) => p.pruner),
    sparsities: suite.sparsities,
    compressions: suite.compressions,
    seeds: suite.seeds,
    nmSparsity: (id) => nmSparsityOf(args.pruners.get(id)?.config),
  });
  const byId = new Map(args.models.map((m) => [m.suiteModel.id, m]));
  const keyed = cells.map((cell) => {
    const model = byId.get(cell.modelId) as PlanCellsModel;
    const grid = grids.get(cell.modelId) as ReturnType<typeof modelGrid>;
    const planned = args.pruners.get(cell.prunerId);
    return {
      cell,
      key: cellKey(cell, {
        modelSha256: model.sha256,
        tasks: model.suiteModel.tasks,
        evalHashes: model.evalHashes,
        dataId: args.dataId,
        // the model's own evaluation / recovery where it overrides them, in the suite's place
        suite: { calibration: suite.calibration, evaluation: grid.evaluation, recovery: grid.recovery, datasetSeed: suite.datasetSeed, train: suite.train, validation: suite.validation },
        pruner: planned && {
          id: planned.pruner.id,
          version: planned.pruner.version,
          config: planned.config,
          uses: { train: planned.pruner.capabilities.requires.training, validation: planned.pruner.capabilities.requires.evaluator },
        },
        engine: args.engine,
        backend: args.backend,
      }),
    };
  });
  return { cells: keyed, skipped };
}
