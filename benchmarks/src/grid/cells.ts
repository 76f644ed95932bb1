import type { AnyPruner, Granularity } from '@vlp/core';

/** One cell of the grid: a model pruned by one method at one sparsity and seed (or the dense model). */
export interface CellSpec {
  readonly modelId: string;
  /** Pruner id, or `dense` for the unpruned model. */
  readonly prunerId: string;
  readonly granularity: Granularity | 'dense';
  /**
   * Target: fraction of prunable weights zeroed (unstructured, N:M), or fraction of prunable
   * parameters removed (structured); 0 for dense.
   */
  readonly sparsity: number;
  /** Structured cells: the compression ratio the sparsity came from (2 → 0.5). */
  readonly compression?: number;
  readonly seed: number;
}

/** What {@link expandGrid} needs to know about one model. */
export interface GridModel {
  readonly id: string;
  /** The view's architecture id (`clip`, `blip-itm`, ...). */
  readonly architecture: string;
  /** This model's pruner ids (per-model override): the others of `pruners` are left out for it. */
  readonly pruners?: readonly string[];
  /** This model's sparsities instead of the grid's (per-model override). */
  readonly sparsities?: readonly number[];
  /** Per pruner id: that pruner's sparsities on this model instead of the model's (unstructured pruners). */
  readonly prunerSparsities?: Readonly<Record<string, readonly number[]>>;
  /** This model's compressions instead of the grid's (per-model override). */
  readonly compressions?: readonly number[];
}

/** Sparsity of a compression ratio: c× keeps 1/c of the prunable parameters. */
export function compressionSparsity(compression: number): number {
  return 1 - 1 / compression;
}

/** True when the pruner supports the architecture. */
export function supports(pruner: AnyPruner, architecture: string): boolean {
  const a = pruner.capabilities.architectures;
  return a === '*' || a.includes(architecture);
}

/**
 * The cells of a grid, in a stable order: per model, the dense cell first, then per pruner (in the
 * given order) every target (sparsities for unstructured and N:M pruners, compressions for
 * structured ones; an N:M pattern's own 1 − n/m for N:M pruners) and every seed. A model's own
 * `pruners`, `sparsities` and `compressions` replace the grid's for that model, and its
 * `prunerSparsities[id]` the sparsities of pruner `id` on that model. Pruners that a
 * model's `pruners` leaves out or that do not support its architecture are left out and listed in
 * `skipped`.
 */
export function expandGrid(args: {
  readonly models: readonly GridModel[];
  readonly pruners: readonly AnyPruner[];
  readonly sparsities: readonly number[];
  readonly compressions: readonly number[];
  readonly seeds: readonly number[];
  /** The sparsity an N:M pruner is bound to (1 − n/m), when its config says so. */
  readonly nmSparsity?: (prunerId: string) => number | undefined;
}): { cells: CellSpec[]; skipped: { modelId: string; prunerId: string; reason: string }[] } {
  const cells: CellSpec[] = [];
  const skipped: { modelId: string; prunerId: string; reason: string }[] = [];
  for (const model of args.models) {
    cells.push({ modelId: model.id, prunerId: 'dense', granularity: 'dense', sparsity: 0, seed: args.seeds[0] ?? 0 });
    const sparsities = model.sparsities ?? args.sparsities;
    const compressions = model.compressions ?? args.compressions;
    for (const pruner of args.pruners) {
      if (model.pruners && !model.pruners.includes(pruner.id)) {
        skipped.push({ modelId: model.id, prunerId: pruner.id, reason: "not in the model's grid (its pruners setting)" });
        continue;
      }
      if (!supports(pruner, model.architecture)) {
        skipped.push({ modelId: model.id, prunerId: pruner.id, reason: `does not support architecture "${model.architecture}"` });
        continue;
      }
      const granularity = pruner.capabilities.granularity;
      const nm = granularity === 'n:m' ? args.nmSparsity?.(pruner.id) : undefined;
      const targets =
        granularity === 'structured'
          ? compressions.map((c) => ({ sparsity: compressionSparsity(c), compression: c }))
          : nm !== undefined
            ? [{ sparsity: nm, compression: undefined }]
            : (model.prunerSparsities?.[pruner.id] ?? sparsities).map((s) => ({ sparsity: s, compression: undefined }));
      for (const t of targets) {
        for (const seed of args.seeds) {
          cells.push({ modelId: model.id, prunerId: pruner.id, granularity, sparsity: t.sparsity, ...(t.compression === undefined ? {} : { compression: t.compression }), seed });
        }
      }
    }
  }
  return { cells, skipped };
}
